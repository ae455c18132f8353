pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "merkle.circom";
include "slot.circom";

/*
 * LedgerBatch(K, D): one batch (one registry update) of the reference validium ledger,
 * docs/LEDGER.md. K operation slots (K a power of two) on an account tree of depth D.
 *
 * Public inputs, in this order (§7): prevRoot, newRoot, queueHash, withdrawalRoot, meta.
 * Constrains:
 *   prevRoot       = H_4(oldAccountsRoot, oldL2Block, oldQueuePosition, oldQueueHash);
 *   the K slots (LedgerSlot) executed in order from (oldAccountsRoot, oldQueueHash) give
 *                    (newAccountsRoot, queueHash); newQueuePosition = oldQueuePosition + #queue items (op type 1);
 *   newRoot        = H_4(newAccountsRoot, oldL2Block + 1, newQueuePosition, queueHash);
 *   withdrawalRoot = the H_2 Merkle root of the slots' entries E_0 … E_{K-1} (§6);
 *   meta           = chainId + (oldL2Block + 1)·2^64 + newQueuePosition·2^128, each part < 2^64.
 * Private inputs: chainId, the old state header, and the per-slot arrays of LedgerSlot (indexed [K]).
 */
template LedgerBatch(K, D) {
    assert(K >= 1);
    assert((K & (K - 1)) == 0);

    // Public (the order of declaration is the order of the public signals).
    signal input prevRoot;
    signal input newRoot;
    signal input queueHash;
    signal input withdrawalRoot;
    signal input meta;

    // Private: the state before the batch.
    signal input chainId;
    signal input oldAccountsRoot;
    signal input oldL2Block;
    signal input oldQueuePosition;
    signal input oldQueueHash;

    // Private: the slots.
    signal input opType[K];
    signal input w0[K];
    signal input w1[K];
    signal input w2[K];
    signal input indexA[K];
    signal input indexB[K];
    signal input tokenId[K];
    signal input amount[K];
    signal input nonce[K];
    signal input recipient[K];
    signal input Ax[K];
    signal input Ay[K];
    signal input R8x[K];
    signal input R8y[K];
    signal input S[K];
    signal input leafA[K][4];
    signal input siblingsA[K][D];
    signal input leafB[K][4];
    signal input siblingsB[K][D];

    // ---- the state before --------------------------------------------------------------------------
    component prevHash = Poseidon(4);
    prevHash.inputs[0] <== oldAccountsRoot;
    prevHash.inputs[1] <== oldL2Block;
    prevHash.inputs[2] <== oldQueuePosition;
    prevHash.inputs[3] <== oldQueueHash;
    prevHash.out === prevRoot;

    // ---- the slots, in order -------------------------------------------------------------------------
    component slot[K];
    component entries = ListRoot(K);
    var consumed = 0;
    for (var k = 0; k < K; k++) {
        slot[k] = LedgerSlot(D);
        slot[k].chainId <== chainId;
        if (k == 0) {
            slot[k].rootIn <== oldAccountsRoot;
            slot[k].queueHashIn <== oldQueueHash;
        } else {
            slot[k].rootIn <== slot[k - 1].rootOut;
            slot[k].queueHashIn <== slot[k - 1].queueHashOut;
        }
        slot[k].opType <== opType[k];
        slot[k].w0 <== w0[k];
        slot[k].w1 <== w1[k];
        slot[k].w2 <== w2[k];
        slot[k].indexA <== indexA[k];
        slot[k].indexB <== indexB[k];
        slot[k].tokenId <== tokenId[k];
        slot[k].amount <== amount[k];
        slot[k].nonce <== nonce[k];
        slot[k].recipient <== recipient[k];
        slot[k].Ax <== Ax[k];
        slot[k].Ay <== Ay[k];
        slot[k].R8x <== R8x[k];
        slot[k].R8y <== R8y[k];
        slot[k].S <== S[k];
        slot[k].leafA <== leafA[k];
        slot[k].siblingsA <== siblingsA[k];
        slot[k].leafB <== leafB[k];
        slot[k].siblingsB <== siblingsB[k];
        entries.leaves[k] <== slot[k].entry;
        consumed += slot[k].isQueueItem;
    }

    // ---- the state after -----------------------------------------------------------------------------
    slot[K - 1].queueHashOut === queueHash;
    entries.root === withdrawalRoot;

    signal newL2Block <== oldL2Block + 1;
    signal newQueuePosition <== oldQueuePosition + consumed;

    component newHash = Poseidon(4);
    newHash.inputs[0] <== slot[K - 1].rootOut;
    newHash.inputs[1] <== newL2Block;
    newHash.inputs[2] <== newQueuePosition;
    newHash.inputs[3] <== queueHash;
    newHash.out === newRoot;

    // ---- meta = chainId + l2Block·2^64 + queuePosition·2^128, each < 2^64 ------------------------
    component chainBits = Num2Bits(64);
    chainBits.in <== chainId;
    component blockBits = Num2Bits(64);
    blockBits.in <== newL2Block;
    component positionBits = Num2Bits(64);
    positionBits.in <== newQueuePosition;
    meta === chainId + newL2Block * (1 << 64) + newQueuePosition * (1 << 128);
}
