/// <reference types="vite/client" />

declare const __APP_VERSION__: string;

interface ImportMetaEnv {
  readonly VITE_BACKEND_URL?: string;
  readonly VITE_OTEL_COLLECTOR_URL?: string;
  readonly VITE_OTEL_SERVICE_NAME?: string;
  /** "off" builds the app without tracing (the bundle benchmark's baseline). */
  readonly VITE_TRACING?: string;
}
