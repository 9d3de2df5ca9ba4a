import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { auth } from '../auth.ts';
import { useSubmit, Errors, AuthCard, Field } from './auth-form.tsx';

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
