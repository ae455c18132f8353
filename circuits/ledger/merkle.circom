pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/switcher.circom";

/*
 * MerkleRoot(D): the root of a depth-D H_2 Merkle path (docs/LEDGER.md §2).
 * Constrains root = the node reached from `leaf` by hashing with siblings[l] at level l, the current
 * node being the right child where pathBits[l] = 1 (index bits, least significant first).
 * pathBits must already be constrained boolean by the caller (they come from Num2Bits).
 * Cost: D × (Poseidon(2) + Switcher).
 */
template MerkleRoot(D) {
    signal input leaf;
    signal input pathBits[D];
    signal input siblings[D];
    signal output root;

    component sw[D];
    component h[D];
    signal node[D + 1];
    node[0] <== leaf;
    for (var l = 0; l < D; l++) {
        sw[l] = Switcher();
        sw[l].sel <== pathBits[l];
        sw[l].L <== node[l];
        sw[l].R <== siblings[l];
        h[l] = Poseidon(2);
        h[l].inputs[0] <== sw[l].outL;
        h[l].inputs[1] <== sw[l].outR;
        node[l + 1] <== h[l].out;
    }
    root <== node[D];
}

/*
 * LeafHash(): leafHash = H_4(keyHash, tokenId, balance, nonce) (docs/LEDGER.md §2).
 */
template LeafHash() {
    signal input leaf[4];
    signal output out;

    component h = Poseidon(4);
    for (var i = 0; i < 4; i++) h.inputs[i] <== leaf[i];
    out <== h.out;
}

/*
 * LeafUpdate(D): one leaf update of the account tree.
 * Constrains that oldLeaf is the leaf at the path (pathBits, siblings) of the tree whose root is
 * oldRoot, and outputs newRoot, the root after replacing it by newLeaf with the same siblings.
 * When newLeaf = oldLeaf, newRoot = oldRoot.
 * Cost: 2 × LeafHash + 2 × MerkleRoot(D).
 */
template LeafUpdate(D) {
    signal input oldRoot;
    signal input oldLeaf[4];
    signal input newLeaf[4];
    signal input pathBits[D];
    signal input siblings[D];
    signal output newRoot;

    component oldHash = LeafHash();
    oldHash.leaf <== oldLeaf;
    component oldPath = MerkleRoot(D);
    oldPath.leaf <== oldHash.out;
    oldPath.pathBits <== pathBits;
    oldPath.siblings <== siblings;
    oldPath.root === oldRoot;

    component newHash = LeafHash();
    newHash.leaf <== newLeaf;
    component newPath = MerkleRoot(D);
    newPath.leaf <== newHash.out;
    newPath.pathBits <== pathBits;
    newPath.siblings <== siblings;
    newRoot <== newPath.root;
}

/*
 * ListRoot(K): the H_2 Merkle root over K leaves (K a power of two), pairing adjacent nodes level by
 * level; for K = 1 the root is the single leaf (docs/LEDGER.md §6, the withdrawal root).
 * Cost: (K - 1) × Poseidon(2).
 */
template ListRoot(K) {
    signal input leaves[K];
    signal output root;

    // Heap layout: node i has children 2i+1 and 2i+2; the leaves are nodes K-1 … 2K-2, in order.
    var n = 2 * K - 1;
    signal node[n];
    component h[K];
    for (var k = 0; k < K; k++) node[K - 1 + k] <== leaves[k];
    for (var i = K - 2; i >= 0; i--) {
        h[i] = Poseidon(2);
        h[i].inputs[0] <== node[2 * i + 1];
        h[i].inputs[1] <== node[2 * i + 2];
        node[i] <== h[i].out;
    }
    root <== node[0];
}
