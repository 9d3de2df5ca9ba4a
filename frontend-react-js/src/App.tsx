import { NavLink, Route, Routes, useParams } from 'react-router';
import { HomeFeedPage } from './pages/HomeFeedPage.tsx';
import { MessageGroupPage } from './pages/MessageGroupPage.tsx';
import { MessageGroupsPage } from './pages/MessageGroupsPage.tsx';
import { NotificationsFeedPage } from './pages/NotificationsFeedPage.tsx';
import { UserFeedPage } from './pages/UserFeedPage.tsx';
import { useRouteTelemetry } from './telemetry/hooks.ts';
import { SESSION } from './session.ts';

/** The route pattern a path matches, as spans name it (React Router has no '@' prefix params). */
export function routePattern(path: string): string {
  if (path === '/') return '/';
  if (path === '/notifications') return '/notifications';
  if (path === '/messages') return '/messages';
  if (/^\/messages\/@[^/]+$/.test(path)) return '/messages/@:handle';
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
    <section>
      <h1>Not found</h1>
      <p className="state empty">There is no page here.</p>
    </section>
  );
}

export function App() {
  useRouteTelemetry(routePattern);
  return (
    <div className="layout">
      <nav aria-label="Main">
        <span className="logo">Cruddur</span>
        <NavLink to="/" end>Home</NavLink>
        <NavLink to="/notifications">Notifications</NavLink>
        <NavLink to="/messages" end>Messages</NavLink>
        <NavLink to={`/@${SESSION.handle}`}>Profile</NavLink>
      </nav>
      <main>
        <Routes>
          <Route path="/" element={<HomeFeedPage />} />
          <Route path="/notifications" element={<NotificationsFeedPage />} />
          <Route path="/messages" element={<MessageGroupsPage />} />
          <Route path="/messages/:segment" element={<AtHandle page={(h) => <MessageGroupPage handle={h} />} />} />
          <Route path="/:segment" element={<AtHandle page={(h) => <UserFeedPage handle={h} />} />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </div>
  );
}
