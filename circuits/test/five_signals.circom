pragma circom 2.1.0;

/*
 * FiveSignals: a toy circuit with the reference ledger's public-signal shape (five public inputs),
 * used to test the Groth16 adapters and the batch verifier without proving ledger batches.
 * Constrains: w * s[1] === s[0] (a private witness w exists iff s[1] != 0 or s[0] == 0) and
 * u === s[2] * s[3] + s[4] for a private u, so every public signal enters a constraint.
 */
template FiveSignals() {
    signal input s[5];
    signal input w;
    signal input u;
    signal prod;
    w * s[1] === s[0];
    prod <== s[2] * s[3];
    u === prod + s[4];
}
