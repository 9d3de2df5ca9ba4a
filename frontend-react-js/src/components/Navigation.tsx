import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import { signOut, useSessionState, type User } from '../session.ts';
import { Avatar } from './Avatar.tsx';
import { CrudDialog } from './CrudDialog.tsx';
import { Icon, Logo, type IconName } from './Icons.tsx';

function Item({ to, icon, label, className, end }: { to: string; icon: IconName; label: string; className?: string; end?: boolean }) {
  return (
    <NavLink to={to} end={end} className={className}>
      <Icon name={icon} />
      <span className="label">{label}</span>
    </NavLink>
  );
}

/** Who is signed in, with a menu to sign out (the mock session: session.ts). */
function ProfileBox({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('click', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('click', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="profile-box" ref={box}>
      <button type="button" className="profile-button" aria-expanded={open} aria-haspopup="true" aria-label={`Account: ${user.displayName} @${user.handle}`} onClick={() => setOpen(!open)}>
        <Avatar handle={user.handle} name={user.displayName} size={40} />
        <span className="who"><span className="display-name">{user.displayName}</span><span className="handle">@{user.handle}</span></span>
        <Icon name="more" />
      </button>
      {open && (
        <div className="menu">
          <button type="button" onClick={() => { signOut(); setOpen(false); navigate('/'); }}>Sign out @{user.handle}</button>
        </div>
      )}
    </div>
  );
}

/** The main navigation: a column on a wide screen, one row of icons at the top of a phone. */
export function Navigation() {
  const session = useSessionState();
  const user = session.checked ? session.user : undefined;
  const [crudding, setCrudding] = useState(false);
  return (
    <nav className="main-nav" aria-label="Main">
      <Link to="/" className="brand" aria-label="Cruddur"><Logo /><span className="label">Cruddur</span></Link>
      <Item to="/" end icon="home" label="Home" />
      {user && (
        <>
          <Item to="/notifications" icon="notifications" label="Notifications" />
          <Item to="/messages" icon="messages" label="Messages" />
          <Item to={`/@${user.handle}`} icon="profile" label="Profile" />
        </>
      )}
      {/* The sidebar's search box is not on narrow screens: this takes its place. */}
      <Item to="/search" icon="search" label="Search" className="narrow-only" />
      {/* The course's purple Crud, opening the form as a popup (on a phone the home page's box is the way). */}
      {user && <button type="button" className="primary crud-button" data-action="crud" aria-label="Crud (opens the crud form)" aria-haspopup="dialog" onClick={() => setCrudding(true)}>Crud</button>}
      {crudding && <CrudDialog onClose={() => setCrudding(false)} />}
      {/* Until the session read answers, neither: "Sign in" would flash at someone signed in. */}
      {user ? <ProfileBox user={user} /> : session.checked && <Link to="/signin" className="button primary sign-in">Sign in</Link>}
    </nav>
  );
}
