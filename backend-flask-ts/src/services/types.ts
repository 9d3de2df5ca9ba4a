export interface Reply {
  uuid: string;
  reply_to_activity_uuid: string;
  handle: string;
  display_name?: string;
  message: string;
  likes_count: number;
  replies_count: number;
  reposts_count: number;
  created_at: string;
}

export interface Activity {
  uuid: string;
  handle: string;
  display_name?: string;
  message: string;
  created_at: string;
  expires_at: string;
  likes_count: number;
  replies_count: number;
  reposts_count: number;
  replies: Reply[];
}

export interface MessageGroup {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}

export interface Message {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}
