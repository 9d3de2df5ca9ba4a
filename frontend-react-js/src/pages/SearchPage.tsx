import { useSearchParams } from 'react-router';
import { Feed } from '../components/Feed.tsx';
import { Page } from '../components/Page.tsx';
import { SearchBox } from '../components/Sidebar.tsx';
import type { Activity } from '../types.ts';
import { useApi } from '../useApi.ts';

function Results({ term }: { term: string }) {
  const feed = useApi<Activity[]>(`/api/activities/search?term=${encodeURIComponent(term)}`);
  return <Feed feed={feed} empty={`No cruds match “${term}”.`} />;
}

export function SearchPage() {
  const term = (useSearchParams()[0].get('term') ?? '').trim();
  return (
    <Page title={term ? `Search: ${term}` : 'Search'}>
      {/* Where the sidebar (and its box) is gone: below 1,088 px. */}
      <div className="narrow-only page-search"><SearchBox /></div>
      {term ? <Results term={term} /> : <p className="state empty">Search cruds by word or by who wrote them.</p>}
    </Page>
  );
}
