import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSessionState } from '../session.ts';
import { Avatar } from './Avatar.tsx';
import { Icon } from './Icons.tsx';

// The course's sidebar data: mock until later weeks.
const TRENDING = [
  { hashtag: '100DaysOfCloud', count: 2053 },
  { hashtag: 'CloudProject', count: 8253 },
  { hashtag: 'AWS', count: 9053 },
  { hashtag: 'FreeWillyReboot', count: 7753 },
];
const SUGGESTED = [{ displayName: 'Andrew Bayko', handle: 'bayko' }, { displayName: 'Worf', handle: 'worf' }];

/** Search cruds: goes to /search?term=…, where the results are. */
export function SearchBox() {
  const [params] = useSearchParams();
  const searched = params.get('term') ?? '';
  const [term, setTerm] = useState(searched);
  // Back or Forward to another search: the box says the term the page shows.
  useEffect(() => setTerm(searched), [searched]);
  const navigate = useNavigate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (term.trim()) navigate(`/search?term=${encodeURIComponent(term.trim())}`);
  };
  return (
    <form role="search" className="search" onSubmit={submit}>
      <Icon name="search" size={20} />
      <input type="search" aria-label="Search Cruddur" placeholder="Search Cruddur" maxLength={100} value={term} onChange={(e) => setTerm(e.target.value)} />
    </form>
  );
}

/** Search, trending, who to follow (or how to join, signed out), and the footer. */
export function Sidebar() {
  const session = useSessionState();
  const user = session.checked ? session.user : undefined;
  // The box stays on the search page too, so the sidebar does not jump 55 px up there; the
  // page's own box shows only where the sidebar is gone (SearchPage): one box on the screen.
  return (
    <aside className="sidebar" aria-label="Explore">
      <SearchBox />
      {!session.checked ? null : user ? (
        <>
          <section className="box" aria-labelledby="trending-heading">
            <h2 id="trending-heading">Trending</h2>
            <ul>
              {TRENDING.map((t) => (
                <li key={t.hashtag}>
                  <Link to={`/search?term=${encodeURIComponent(t.hashtag)}`} className="trend">
                    <span className="tag">#{t.hashtag}</span>
                    <span className="meta">{t.count.toLocaleString('en')} cruds</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
          <section className="box" aria-labelledby="suggested-heading">
            <h2 id="suggested-heading">Suggested users</h2>
            <ul>
              {SUGGESTED.map((u) => (
                <li key={u.handle}>
                  <Link to={`/@${u.handle}`} className="person">
                    <Avatar handle={u.handle} name={u.displayName} size={40} />
                    <span><span className="display-name">{u.displayName}</span><span className="handle">@{u.handle}</span></span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : (
        <section className="box join" aria-labelledby="join-heading">
          <h2 id="join-heading">Join the party!</h2>
          <p>Have something to say? Join Cruddur.</p>
          {/* Signing in is the navigation's button: one "Sign in" on the screen. */}
          <Link to="/signup" className="button primary">Join now</Link>
        </section>
      )}
      <footer>
        <a href="https://github.com/omenking/aws-bootcamp-cruddur-2023">About Cruddur</a>
        <span>A mock app of the AWS Cloud Project Bootcamp</span>
      </footer>
    </aside>
  );
}
