import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Logo } from '../components/Icons.tsx';
import { auth } from '../auth.ts';

// Sign-in, sign-up, confirmation and recovery as the course has them in week 2: forms with
// no backend (Cognito arrives in week 3, in auth.ts). Any well-formed input succeeds; nothing
// is sent or stored but the mock session's "signed in" flag. Each page has the places week 3
// fills in: its error box, confirm's "Resend activation code", recover's second password.

/** Runs a form's call; what it throws shows in the page's error box. */
function useSubmit(): { error: string; busy: boolean; run: (call: () => Promise<void>) => Promise<void> } {
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

function Errors({ error }: { error: string }) {
  // The course's <div className='errors'>: an alert, so a screen reader says it when it shows.
  return <div className="errors" role="alert">{error}</div>;
}

function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
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

function Field({ label, type = 'text', autoComplete, value, onChange }: { label: string; type?: string; autoComplete: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input type={type} required autoComplete={autoComplete} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

export function SigninPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const navigate = useNavigate();
  const { error, busy, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await auth.signIn(email, password);
      navigate('/');
    });
  };
  return (
    <AuthCard title="Sign into your Cruddur account" footer={<>Don’t have an account? <Link to="/signup">Sign up!</Link></>}>
      <form onSubmit={submit}>
        <Field label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} />
        <Field label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} />
        <Errors error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>Sign in</button>
          <Link to="/forgot">Forgot password?</Link>
        </div>
      </form>
    </AuthCard>
  );
}

export function SignupPage() {
  const [form, setForm] = useState({ name: '', email: '', username: '', password: '' });
  const navigate = useNavigate();
  const field = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const { error, busy, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await auth.signUp(form);
      navigate(`/confirm?email=${encodeURIComponent(form.email)}`);
    });
  };
  return (
    <AuthCard title="Sign up to create a Cruddur account" footer={<>Have an account? <Link to="/signin">Sign in!</Link></>}>
      <form onSubmit={submit}>
        <Field label="Name" autoComplete="name" value={form.name} onChange={field('name')} />
        <Field label="Email" type="email" autoComplete="email" value={form.email} onChange={field('email')} />
        <Field label="Username" autoComplete="username" value={form.username} onChange={field('username')} />
        <Field label="Password" type="password" autoComplete="new-password" value={form.password} onChange={field('password')} />
        <Errors error={error} />
        <div className="row"><button type="submit" className="primary" disabled={busy}>Sign up</button></div>
      </form>
    </AuthCard>
  );
}

export function ConfirmationPage() {
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [codeSent, setCodeSent] = useState(false);
  const navigate = useNavigate();
  const { error, busy, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await auth.confirmSignUp(email, code);
      navigate('/signin');
    });
  };
  const resend = () =>
    run(async () => {
      await auth.resendSignUp(email);
      setCodeSent(true);
    });
  return (
    <AuthCard title="Confirm your email" footer={<>Wrong address? <Link to="/signup">Sign up again</Link></>}>
      <form onSubmit={submit}>
        <Field label="Email" type="email" autoComplete="email" value={email} onChange={setEmail} />
        <Field label="Confirmation code" autoComplete="one-time-code" value={code} onChange={setCode} />
        <Errors error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>Confirm email</button>
          {codeSent
            ? <p className="sent" role="status">A new activation code has been sent to your email.</p>
            : <button type="button" className="link-button" onClick={resend} disabled={busy}>Resend activation code</button>}
        </div>
      </form>
    </AuthCard>
  );
}

export function RecoverPage() {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [passwordAgain, setPasswordAgain] = useState('');
  const [step, setStep] = useState<'send' | 'reset' | 'done'>('send');
  const { error, busy, run } = useSubmit();
  const sendCode = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await auth.forgotPassword(email);
      setStep('reset');
    });
  };
  const reset = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      // The course checks this before calling Cognito, with the same words.
      if (password !== passwordAgain) throw new Error('Passwords do not match: type the new one twice.');
      await auth.forgotPasswordSubmit(email, code, password);
      setStep('done');
    });
  };
  return (
    <AuthCard title="Recover your password" footer={<>Remembered it? <Link to="/signin">Sign in</Link></>}>
      {step === 'send' && (
        <form onSubmit={sendCode}>
          <Field label="Email" type="email" autoComplete="email" value={email} onChange={setEmail} />
          <Errors error={error} />
          <div className="row"><button type="submit" className="primary" disabled={busy}>Send recovery code</button></div>
        </form>
      )}
      {step === 'reset' && (
        <form onSubmit={reset}>
          <Field label="Recovery code" autoComplete="one-time-code" value={code} onChange={setCode} />
          <Field label="New password" type="password" autoComplete="new-password" value={password} onChange={setPassword} />
          <Field label="New password again" type="password" autoComplete="new-password" value={passwordAgain} onChange={setPasswordAgain} />
          <Errors error={error} />
          <div className="row"><button type="submit" className="primary" disabled={busy}>Reset password</button></div>
        </form>
      )}
      {step === 'done' && <p role="status">Your password has been reset. <Link to="/signin">Sign in</Link> with it.</p>}
    </AuthCard>
  );
}
