import { Button } from '@acme/shared-ui';

export function App() {
  return <Button onClick={() => alert('paid')}>Pay</Button>;
}
