// autocannon ships no types; lab/load/autocannon.ts describes the parts it uses.
declare module 'autocannon' {
  const autocannon: unknown
  export default autocannon
}
