export function refund(paymentId: string, amountCents: number) {
  if (amountCents <= 0) throw new Error('refund amount must be positive');
  return { paymentId, amountCents, status: 'pending' as const };
}
