// 1,000 comments over 136 clauses and 60 affiliations: the period-closed digest's worst case in tests and the bench.
export function thousandComments() {
  return Array.from({ length: 1000 }, (_, i) => ({
    clause: `${1 + (i % 8)}.${i % 17}`,
    clauseTitle: `Security threats for sensor/devices ${i % 17}`,
    type: (['general', 'technical', 'editorial'] as const)[i % 3]!,
    affiliation: `Member State ${i % 60}`,
    replies: i % 5,
  }));
}
