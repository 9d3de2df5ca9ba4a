import { signIn as startSession } from './session.ts';

/**
 * What the sign-in pages call, named after Amplify's Auth as the course's week 3 uses it
 * (Auth.signIn, signUp, confirmSignUp, resendSignUp, forgotPassword, forgotPasswordSubmit):
 * week 3 replaces these bodies and keeps the pages. Until then they are mocks: nothing is
 * sent anywhere, and they refuse only what Cognito would refuse for lack of input. An error
 * one throws shows in the page's error box, as Cognito's messages do in the course.
 */
export const auth = {
  async signIn(_email: string, _password: string): Promise<void> {
    startSession();
  },
  async signUp(_user: { name: string; email: string; username: string; password: string }): Promise<void> {},
  async confirmSignUp(_email: string, _code: string): Promise<void> {},
  async resendSignUp(email: string): Promise<void> {
    // Cognito's words for this are "Username cannot be empty"; the course rewrites them so.
    if (!email.trim()) throw new Error('Enter your email first: the new activation code goes there.');
  },
  async forgotPassword(_email: string): Promise<void> {},
  async forgotPasswordSubmit(_email: string, _code: string, _password: string): Promise<void> {},
};
