import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { auth } from '../auth.ts';
import { useSubmit, Errors, AuthCard, Field } from './auth-form.tsx';

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
