import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { auth } from '../auth.ts';
import { useSubmit, Errors, AuthCard, Field } from './auth-form.tsx';

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
