import { Link } from '../components/Link.js';

export function NotFound() {
  return (
    <section>
      <h1>No such page</h1>
      <p>
        The dashboard has no page here. <Link to="/">Back to the overview</Link>.
      </p>
    </section>
  );
}
