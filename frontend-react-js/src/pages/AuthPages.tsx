import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Logo } from '../components/Icons.tsx';
import { signIn } from '../session.ts';

// Sign-in, sign-up, confirmation and recovery as the course has them in week 2: forms with
// no backend (Cognito arrives in week 3). Any well-formed input succeeds; nothing is sent
// or stored but the mock session's "signed in" flag.

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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn();
    navigate('/');
  };
  return (
    <AuthCard title="Sign into your Cruddur account" footer={<>Don’t have an account? <Link to="/signup">Sign up!</Link></>}>
      <form onSubmit={submit}>
        <Field label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} />
        <Field label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} />
        <div className="row">
          <button type="submit" className="primary">Sign in</button>
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/confirm?email=${encodeURIComponent(form.email)}`);
  };
  return (
    <AuthCard title="Sign up to create a Cruddur account" footer={<>Have an account? <Link to="/signin">Sign in!</Link></>}>
      <form onSubmit={submit}>
        <Field label="Name" autoComplete="name" value={form.name} onChange={field('name')} />
        <Field label="Email" type="email" autoComplete="email" value={form.email} onChange={field('email')} />
        <Field label="Username" autoComplete="username" value={form.username} onChange={field('username')} />
        <Field label="Password" type="password" autoComplete="new-password" value={form.password} onChange={field('password')} />
        <div className="row"><button type="submit" className="primary">Sign up</button></div>
      </form>
    </AuthCard>
  );
}

export function ConfirmationPage() {
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const navigate = useNavigate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate('/signin');
  };
  return (
    <AuthCard title="Confirm your email" footer={<>Wrong address? <Link to="/signup">Sign up again</Link></>}>
      <form onSubmit={submit}>
        <Field label="Email" type="email" autoComplete="email" value={email} onChange={setEmail} />
        <Field label="Confirmation code" autoComplete="one-time-code" value={code} onChange={setCode} />
        <div className="row"><button type="submit" className="primary">Confirm email</button></div>
      </form>
    </AuthCard>
  );
}

export function RecoverPage() {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<'send' | 'reset' | 'done'>('send');
  const next = (to: typeof step) => (e: FormEvent) => {
    e.preventDefault();
    setStep(to);
  };
  return (
    <AuthCard title="Recover your password" footer={<>Remembered it? <Link to="/signin">Sign in</Link></>}>
      {step === 'send' && (
        <form onSubmit={next('reset')}>
          <Field label="Email" type="email" autoComplete="email" value={email} onChange={setEmail} />
          <div className="row"><button type="submit" className="primary">Send recovery code</button></div>
        </form>
      )}
      {step === 'reset' && (
        <form onSubmit={next('done')}>
          <Field label="Recovery code" autoComplete="one-time-code" value={code} onChange={setCode} />
          <Field label="New password" type="password" autoComplete="new-password" value={password} onChange={setPassword} />
          <div className="row"><button type="submit" className="primary">Reset password</button></div>
        </form>
      )}
      {step === 'done' && <p role="status">Your password has been reset. <Link to="/signin">Sign in</Link> with it.</p>}
    </AuthCard>
  );
}
