import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { auth } from '../auth.ts';
import { useSubmit, Errors, AuthCard, Field } from './auth-form.tsx';

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
