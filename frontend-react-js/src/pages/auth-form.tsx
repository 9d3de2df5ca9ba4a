import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Logo } from '../components/Icons.tsx';

// What the sign-in pages share (SigninPage.tsx, SignupPage.tsx, ConfirmationPage.tsx,
// RecoverPage.tsx: one file each, as the course has them, where week 3's Cognito edits go).
// They are the course's week-2 forms with no backend (Cognito arrives in week 3, in auth.ts):
// any well-formed input succeeds; nothing is sent or stored but the mock session's "signed in"
// flag. Each page has the places week 3 fills in: its error box, confirm's "Resend activation
// code", recover's second password.

/** Runs a form's call; what it throws shows in the page's error box. */
export function useSubmit(): { error: string; busy: boolean; run: (call: () => Promise<void>) => Promise<void> } {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<void>) => {
    setError('');
    setBusy(true);
    try {
      await call();
    } catch (err) {
      setError((err as Error).message || String(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

export function Errors({ error }: { error: string }) {
  // The course's <div className='errors'>: an alert, so a screen reader says it when it shows.
  return <div className="errors" role="alert">{error}</div>;
}

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  useEffect(() => {
    document.title = `${title} | Cruddur`;
  }, [title]);
  return (
    <main id="main" className="auth">
      <div className="card">
        <Link to="/" className="brand" aria-label="Cruddur"><Logo size={48} /></Link>
        <h1>{title}</h1>
        <p className="note">A mock page: sign-in arrives in week 3 (Amazon Cognito). Nothing you type here is sent anywhere.</p>
        {children}
      </div>
      <p className="card-footer">{footer}</p>
    </main>
  );
}

export function Field({ label, type = 'text', autoComplete, value, onChange }: { label: string; type?: string; autoComplete: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input type={type} required autoComplete={autoComplete} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

