import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';

// The first page of a visit keeps the browser's focus (at the top of the document); after
// an in-app navigation, focus moves to the new page's heading, so a screen reader says where
// it is, and the next Tab starts from the page, not from the link that was clicked.
let firstPath: string | undefined;
let navigated = false;

/** A page: its heading (focused after navigation), the document title, and its content. */
export function Page({ title, heading = title, back, className, children }: { title: string; heading?: ReactNode; back?: ReactNode; className?: string; children: ReactNode }) {
  const { pathname } = useLocation();
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} | Cruddur`;
  }, [title]);
  useEffect(() => {
    // Idempotent, as StrictMode runs effects twice in development.
    firstPath ??= pathname;
    if (pathname !== firstPath) navigated = true;
    if (navigated) h1.current?.focus();
  }, [pathname]);
  return (
    <section className={className} aria-labelledby="page-heading">
      <header className="page-header">
        {back}
        <h1 id="page-heading" tabIndex={-1} ref={h1}>{heading}</h1>
      </header>
      {children}
    </section>
  );
}
