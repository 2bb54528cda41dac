import { Link } from 'react-router';
import { PageTitle } from '../components/layout.js';

export function NotFoundPage() {
  return (
    <div className="narrow">
      <PageTitle lead="There is nothing at this address.">Page not found</PageTitle>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </div>
  );
}
