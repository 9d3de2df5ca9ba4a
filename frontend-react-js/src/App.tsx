import { Link, Route, Routes, useLocation, useParams } from 'react-router';
import { Navigation } from './components/Navigation.tsx';
import { Page } from './components/Page.tsx';
import { PageBoundary } from './components/PageBoundary.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { ConfirmationPage } from './pages/ConfirmationPage.tsx';
import { RecoverPage } from './pages/RecoverPage.tsx';
import { SigninPage } from './pages/SigninPage.tsx';
import { SignupPage } from './pages/SignupPage.tsx';
import { HomeFeedPage } from './pages/HomeFeedPage.tsx';
import { MessageGroupPage } from './pages/MessageGroupPage.tsx';
import { MessageGroupsPage } from './pages/MessageGroupsPage.tsx';
import { NotificationsFeedPage } from './pages/NotificationsFeedPage.tsx';
import { SearchPage } from './pages/SearchPage.tsx';
import { UserFeedPage } from './pages/UserFeedPage.tsx';
import { useRouteTelemetry } from './telemetry/hooks.ts';

// Pages with a route of their own; handles are matched below (React Router has no '@' prefix params).
const FIXED = ['/', '/notifications', '/messages', '/search', '/signin', '/signup', '/confirm', '/forgot'];
const AUTH = new Set(['/signin', '/signup', '/confirm', '/forgot']);

/** The route pattern a path matches, as spans name it. */
export function routePattern(path: string): string {
  if (FIXED.includes(path)) return path;
  if (/^\/messages\/@[^/]+$/.test(path)) return '/messages/@:handle';
  // Week 5 (DynamoDB) names a conversation by its message group, and starts one by handle.
  if (/^\/messages\/new\/[^/]+$/.test(path)) return '/messages/new/:handle';
  if (/^\/messages\/[^/@][^/]*$/.test(path)) return '/messages/:message_group_uuid';
  if (/^\/@[^/]+$/.test(path)) return '/@:handle';
  return '*';
}

// Handles in URLs are '@name': React Router matches the whole segment, so the '@' is checked here.
function AtHandle({ page }: { page: (handle: string) => React.ReactNode }) {
  const { segment = '' } = useParams();
  return segment.startsWith('@') && segment.length > 1 ? <>{page(segment.slice(1))}</> : <NotFound />;
}

function NotFound() {
  return (
    <Page title="Not found">
      <p className="state empty">There is no page here.</p>
      <p className="state-actions"><Link to="/" className="button secondary">Go home</Link></p>
    </Page>
  );
}

/** /messages/<segment>: @handle (the course until week 4) or a message group's uuid (week 5). */
function Conversation() {
  const { segment = '' } = useParams();
  if (segment.startsWith('@') && segment.length > 1) return <MessageGroupPage handle={segment.slice(1)} />;
  return <MessageGroupPage groupUuid={segment} />;
}

function NewConversation() {
  const { handle = '' } = useParams();
  return <MessageGroupPage handle={handle.replace(/^@/, '')} />;
}

export function App() {
  useRouteTelemetry(routePattern);
  const { pathname } = useLocation();
  const pattern = routePattern(pathname);
  if (AUTH.has(pattern)) {
    return (
      <Routes>
        <Route path="/signin" element={<SigninPage />} />
        <Route path="/signup" element={<SignupPage />} />
        <Route path="/confirm" element={<ConfirmationPage />} />
        <Route path="/forgot" element={<RecoverPage />} />
      </Routes>
    );
  }
  const messages = pattern.startsWith('/messages');
  return (
    <div className={messages ? 'layout wide-main' : 'layout'}>
      <a href="#main" className="skip-link">Skip to content</a>
      <Navigation />
      <main id="main" tabIndex={-1}>
        <PageBoundary resetKey={pathname}>
          <Routes>
            <Route path="/" element={<HomeFeedPage />} />
            <Route path="/notifications" element={<NotificationsFeedPage />} />
            <Route path="/search" element={<SearchPage />} />
            <Route path="/messages" element={<MessageGroupsPage />} />
            <Route path="/messages/new/:handle" element={<NewConversation />} />
            <Route path="/messages/:segment" element={<Conversation />} />
            <Route path="/:segment" element={<AtHandle page={(h) => <UserFeedPage handle={h} />} />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </PageBoundary>
      </main>
      {!messages && <Sidebar />}
    </div>
  );
}
