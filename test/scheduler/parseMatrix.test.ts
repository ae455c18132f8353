/**
 * parseMatrix: latency matrices from JSON or CSV, with MISSING cells.
 */
import { expect } from "chai";

import { MISSING, parseMatrix } from "../../src/scheduler/index.ts";

describe("scheduler: parseMatrix", function () {
  it("test_parseMatrix_jsonObjectAndBareArray", function () {
    expect(parseMatrix('{"latency": [[32, 35], [27, 28], [40, 42]], "epochs": 6}')).to.deep.equal([
      [32, 35],
      [27, 28],
      [40, 42],
    ]);
    expect(parseMatrix('  [[1, null], ["NA", "-"], ["7", 4294967295]]\n')).to.deep.equal([
      [1, MISSING],
      [MISSING, MISSING],
      [7, MISSING],
    ]);
  });

  it("test_parseMatrix_csvWithMissingCells", function () {
    const text = "# A x B, microseconds\n32,35,\n27, - ,28\r\nNA,40,42\n\n";
    expect(parseMatrix(text)).to.deep.equal([
      [32, 35, MISSING],
      [27, MISSING, 28],
      [MISSING, 40, 42],
    ]);
    expect(parseMatrix("1\t2\n3\tna\n")).to.deep.equal([
      [1, 2],
      [3, MISSING],
    ]);
    expect(parseMatrix("5\n6\n")).to.deep.equal([[5], [6]]);
  });

  it("test_parseMatrix_rejectsMalformedInput", function () {
    expect(() => parseMatrix("1,2\n3\n")).to.throw(/row 1 has 1 entries, expected 2/);
    expect(() => parseMatrix("1,2.5\n")).to.throw(/line 1, column 2: "2.5" is not a nonnegative integer/);
    expect(() => parseMatrix("1,-3\n")).to.throw(/is not a nonnegative integer/);
    expect(() => parseMatrix("[[1, 2], [3]]")).to.throw(/row 1 has 1 entries/);
    expect(() => parseMatrix('{"latency": 5}')).to.throw(/"latency" 2-D array/);
    expect(() => parseMatrix("[[1, 4294967296]]")).to.throw(/not an integer latency/);
    expect(() => parseMatrix("{not json")).to.throw(/invalid JSON/);
    expect(() => parseMatrix("")).to.throw(/empty/);
    expect(() => parseMatrix("[]")).to.throw(/empty/);
  });
});
