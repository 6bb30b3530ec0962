// The benchmark's synthetic calls (`record(i)` in bench/store.mjs) as SQL, so that an engine can
// generate tens of millions of them itself: building them in JavaScript and parsing them back as
// text cost ~40 µs a row on this machine, mostly garbage collection. This must compute exactly
// what `record` computes; bench/store.mjs proves it before every run by comparing a ledger loaded
// from this SQL with one written through Store.write from `record`, row by row, on a window of
// records that crosses a day boundary at the high end of the largest size.
//
// `mix` is 32-bit unsigned arithmetic in JavaScript (`Math.imul`, `>>>`): here every step is kept
// below 2^32 with a modulo, and products of two such values fit the engines' unsigned 64 bits.
// 0.3 is written as 3 / 10, which IEEE division rounds correctly: ClickHouse 18.16 parses the
// literal 0.3 one unit in the last place off.

const DIALECTS = {
  duckdb: {
    u64: (x) => `CAST(${x} AS UBIGINT)`,
    i64: (x) => `CAST(${x} AS BIGINT)`,
    xor: (a, b) => `xor(${a}, ${b})`,
    shr: (a, n) => `(${a} >> ${n})`,
    div: (a, b) => `(${a} // ${b})`,
    str: (x) => `CAST(${x} AS VARCHAR)`,
    concat: (...parts) => `(${parts.join(' || ')})`,
    double: (x) => `CAST(${x} AS DOUBLE)`,
    pick: (index, values) => `([${values.map((v) => `'${v}'`).join(', ')}])[CAST(${index} AS BIGINT) + 1]`,
    rows: (from, to) => `SELECT range AS i FROM range(${from}, ${to})`,
  },
  clickhouse: {
    u64: (x) => `toUInt64(${x})`,
    i64: (x) => `toInt64(${x})`,
    xor: (a, b) => `bitXor(${a}, ${b})`,
    shr: (a, n) => `bitShiftRight(${a}, ${n})`,
    div: (a, b) => `intDiv(${a}, ${b})`,
    str: (x) => `toString(${x})`,
    concat: (...parts) => `concat(${parts.join(', ')})`,
    double: (x) => `toFloat64(${x})`,
    pick: (index, values) => `[${values.map((v) => `'${v}'`).join(', ')}][${index} + 1]`,
    rows: (from, to) => `SELECT toUInt64(number + ${from}) AS i FROM numbers(${to - from})`,
  },
};

const U32 = 4294967296;

/**
 * Columns of records `from` … `to - 1` in `dialect`, named as the fields of `record(i)`
 * (tokens flattened: input_uncached …), as one SELECT.
 */
export function syntheticRecordsSql(
  dialect,
  { from, to, engineers, callsPerDay, start, models, tools, sources, providers },
) {
  const d = DIALECTS[dialect];
  const rowsPerDay = engineers * callsPerDay;
  // mix(n) in four layers, each a column of the layer before.
  const mixLayers = (input, name) => [
    `${d.xor(d.u64(input), d.u64(0x9e3779b9))} AS ${name}1`,
    `(${d.xor(`${name}1`, d.shr(`${name}1`, 16))} * ${d.u64(0x85ebca6b)}) % ${d.u64(U32)} AS ${name}2`,
    `(${d.xor(`${name}2`, d.shr(`${name}2`, 13))} * ${d.u64(0xc2b2ae35)}) % ${d.u64(U32)} AS ${name}3`,
    `${d.xor(`${name}3`, d.shr(`${name}3`, 16))} AS ${name}`,
  ];
  const layer = (columns, inner) => `SELECT *, ${columns} FROM (${inner})`;
  let q = d.rows(from, to);
  q = layer(`${d.div('i', rowsPerDay)} AS day, i % ${rowsPerDay} AS j`, q);
  q = layer(`j % ${engineers} AS engineer, ${d.div('j', engineers)} AS k`, q);
  q = layer(`${d.div('k', 20)} AS session`, q);
  const mixed = [
    mixLayers('engineer * 7919 + day * 104729 + session', 's'),
    mixLayers('i', 'h'),
    mixLayers('engineer', 'e'),
  ];
  for (let step = 0; step < 4; step++) q = layer(mixed.map((m) => m[step]).join(', '), q);
  const toolIndex = `s % ${tools.length}`;
  const tool = d.pick(toolIndex, tools);
  q = layer(
    [
      `${d.concat("'eng'", d.str('engineer'), "'@bench.example'")} AS person`,
      `${tool} AS tool`,
      `${d.pick(
        toolIndex,
        tools.map((t) => sources[t]),
      )} AS source`,
      `${d.pick(
        toolIndex,
        tools.map((t) => providers[t]),
      )} AS provider`,
      `${d.pick(`${d.shr('s', 8)} % ${models.length}`, models)} AS model`,
      `${d.concat("'/src/repo'", d.str(`${d.shr('s', 16)} % 40`))} AS project`,
      `100 + h % 5000 AS input_uncached`,
      `${d.shr('h', 6)} % 50000 AS cache_read`,
      `${d.shr('h', 3)} % 200 AS cache_write_5m`,
      `20 + ${d.shr('h', 10)} % 2000 AS output`,
      `${d.i64(`${start} + day * 86400000 + ${7 * 3_600_000} + e % ${3 * 3_600_000} + k * 120000 + h % 60000`)} AS ts_ms`,
    ].join(', '),
    q,
  );
  return `SELECT
    ${d.concat("'bench:'", d.str('i'))} AS id, ts_ms, source, tool,
    ${d.concat('person', "':'", d.str('day'), "':'", d.str('session'))} AS session_id,
    ${d.concat("'req_'", d.str('i'))} AS request_id,
    ${d.concat("'msg_'", d.str('i'))} AS message_id,
    model, provider,
    input_uncached, cache_read, cache_write_5m, 0 AS cache_write_1h, 0 AS cache_write_other, output,
    ${d.div('output', 4)} AS reasoning,
    input_uncached + cache_read + cache_write_5m + output AS total_tokens,
    project, ${d.concat("'bench:'", 'person')} AS origin, person AS person_id,
    (${d.double('input_uncached')} * 3 + ${d.double('cache_read')} * (${d.double('3')} / 10) + ${d.double('output')} * 15) / 1000000 AS cost_usd
  FROM (${q})`;
}
