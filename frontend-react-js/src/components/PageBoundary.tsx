import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Link } from 'react-router';

/**
 * One page's safety net: a render error (data of a shape the page did not expect, as later
 * weeks' APIs send) shows what went wrong and a way back, never a blank app. The rest of the
 * app (navigation, sidebar) keeps working; the error is reported as a js-error span.
 */
export class PageBoundary extends Component<{ children: ReactNode; resetKey: string }, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('[page] render failed', error, info.componentStack);
    // React keeps a caught render error from the window: hand it on, so tracing records it
    // as a js-error span like any uncaught error.
    window.dispatchEvent(new ErrorEvent('error', { error, message: error.message }));
  }

  override componentDidUpdate(prev: { resetKey: string }) {
    // Another page: try again.
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="page-error" role="alert" aria-labelledby="page-error-heading">
        <h1 id="page-error-heading">This page could not be shown</h1>
        <p>Something in its data was not what the page expected. The details are in the browser’s console.</p>
        <p className="state-actions">
          <button type="button" onClick={() => this.setState({ error: undefined })}>Try again</button>
          <Link to="/" className="button secondary">Go home</Link>
        </p>
      </section>
    );
  }
}
