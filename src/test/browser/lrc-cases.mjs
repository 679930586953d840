// Runs the listener page's LRC parser (src/main/resources/web/assets/lyrics.js, loaded as the browser loads it: an
// ES module) over the shared table of LRC cases, and prints what it found as one JSON object; LrcCasesTest compares
// it with the table, so the Java parser and this one are held to the same expectations.
// Usage: node lrc-cases.mjs <lyrics.js> <lrc-cases.json>
import { readFileSync } from 'node:fs';

const [modulePath, casesPath] = process.argv.slice(2);
// A data: URL, because node would read a .js file outside a "type": "module" package as CommonJS.
const source = readFileSync(modulePath, 'utf8');
const { parseLrc, groupAt } = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
const { cases } = JSON.parse(readFileSync(casesPath, 'utf8'));
const results = cases.map((testCase) => {
  const lines = parseLrc(testCase.lrc);
  return {
    name: testCase.name,
    lines: lines.map((line) => [line.time, line.text]),
    groups: testCase.groups.map(([seconds]) => {
      const group = groupAt(lines, seconds);
      return [seconds, group ? lines.slice(group.first, group.last + 1).map((line) => line.text) : []];
    }),
  };
});
console.log(JSON.stringify(results));
