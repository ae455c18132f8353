pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";

/*
 * OnCurveIfEnabled(): when enabled = 1, (x, y) is on Baby Jubjub (a·x² + y² = 1 + d·x²·y²,
 * a = 168700, d = 168696). When enabled = 0 nothing is constrained. enabled must be boolean.
 */
template OnCurveIfEnabled() {
    signal input enabled;
    signal input x;
    signal input y;

    signal x2 <== x * x;
    signal y2 <== y * y;
    signal x2y2 <== x2 * y2;
    enabled * (168700 * x2 + y2 - 1 - 168696 * x2y2) === 0;
}

/*
 * SignedBy(): the signature check of a transfer or withdrawal (docs/LEDGER.md §5), enabled by a
 * boolean `enabled`. When enabled = 1 it constrains:
 *   - H_2(Ax, Ay) = keyHash (the sender leaf's key hash; the caller checks keyHash ≠ 0),
 *   - (Ax, Ay) and (R8x, R8y) are on the curve,
 *   - (R8x, R8y, S) is a valid EdDSA-Poseidon signature of M by (Ax, Ay)
 *     (circomlib EdDSAPoseidonVerifier: S below the subgroup order, 8·A ≠ identity, S·B8 = R8 + 8·h·A).
 * When enabled = 0 nothing is constrained, but the verifier's unconditional sub-circuits (Num2Bits of S,
 * the point arithmetic) still need a satisfiable witness: the message fed to the verifier is M·enabled = 0,
 * and the witness builder passes the fixed dummy A = R8 = (0, 1) (the identity), S = 0
 * (src/ledger/witness.ts DUMMY_SIGNATURE), which satisfies them.
 */
template SignedBy() {
    signal input enabled;
    signal input keyHash;
    signal input M;
    signal input Ax;
    signal input Ay;
    signal input R8x;
    signal input R8y;
    signal input S;

    component kh = Poseidon(2);
    kh.inputs[0] <== Ax;
    kh.inputs[1] <== Ay;
    enabled * (kh.out - keyHash) === 0;

    component onCurveA = OnCurveIfEnabled();
    onCurveA.enabled <== enabled;
    onCurveA.x <== Ax;
    onCurveA.y <== Ay;
    component onCurveR = OnCurveIfEnabled();
    onCurveR.enabled <== enabled;
    onCurveR.x <== R8x;
    onCurveR.y <== R8y;

    component v = EdDSAPoseidonVerifier();
    v.enabled <== enabled;
    v.Ax <== Ax;
    v.Ay <== Ay;
    v.S <== S;
    v.R8x <== R8x;
    v.R8y <== R8y;
    v.M <== M * enabled;
}
