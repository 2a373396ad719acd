export interface Entry { id: string; amountCents: number; currency: string }

export function createLedger() {
  const entries: Entry[] = [];
  return {
    post(e: Entry) { entries.push(e); },
    balance(currency: string) { return entries.filter((e) => e.currency === currency).reduce((s, e) => s + e.amountCents, 0); },
  };
}
