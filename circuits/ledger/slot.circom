pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "merkle.circom";
include "signature.circom";

/*
 * OpSelectors(): one-hot selectors of a slot's operation type (docs/LEDGER.md §5).
 * Constrains sel[i] ∈ {0, 1}, Σ sel[i] = 1 and opType = Σ i·sel[i]; so opType ∈ {0, 1, 2, 3}
 * (0 no-op, 1 queue item, 2 transfer, 3 withdraw) and sel[opType] = 1 is the only non-zero selector.
 */
template OpSelectors() {
    signal input opType;
    signal output sel[4];

    for (var i = 0; i < 4; i++) {
        sel[i] <-- opType == i ? 1 : 0;
        sel[i] * (sel[i] - 1) === 0;
    }
    sel[0] + sel[1] + sel[2] + sel[3] === 1;
    sel[1] + 2 * sel[2] + 3 * sel[3] === opType;
}

/*
 * QueueKindSelectors(): the kind of the queue item consumed by a slot of op type 1 (docs/LEDGER.md §4).
 * isQueue is the slot's op-type-1 selector (boolean). Outputs deposit, forcedWithdrawal, forcedMessage:
 * booleans that are all 0 when isQueue = 0 and one-hot when isQueue = 1; kind = deposit +
 * 2·forcedWithdrawal + 3·forcedMessage is then the item's kind, in {1, 2, 3} (the caller equates it with
 * the low byte of w0). The hints read the kind from w0's low byte; 3 constraints.
 */
template QueueKindSelectors() {
    signal input isQueue;
    signal input w0;
    signal output deposit;
    signal output forcedWithdrawal;
    signal output forcedMessage;
    signal output kind;

    forcedWithdrawal <-- (isQueue == 1 && (w0 & 255) == 2) ? 1 : 0;
    forcedMessage <-- (isQueue == 1 && (w0 & 255) == 3) ? 1 : 0;
    forcedWithdrawal * (forcedWithdrawal - 1) === 0;
    forcedMessage * (forcedMessage - 1) === 0;
    // deposit = isQueue − fw − fm is boolean iff at most one of fw, fm is set and none is when isQueue = 0.
    deposit <== isQueue - forcedWithdrawal - forcedMessage;
    deposit * (deposit - 1) === 0;
    kind <== deposit + 2 * forcedWithdrawal + 3 * forcedMessage;
}

/*
 * LedgerSlot(D): one operation slot of a batch (docs/LEDGER.md §5, §6, §4), on an account tree of
 * depth D. Takes the account root and the queue's rolling hash before the slot and outputs them after,
 * with the slot's withdrawal entry E_k and whether it consumed a queue item.
 *
 * Inputs per slot (witness builder: src/ledger/witness.ts):
 *   opType                     0 no-op, 1 queue item, 2 transfer, 3 withdraw
 *   w0, w1, w2                 the queue item of op type 1 (0 otherwise); its kind is w0's low byte:
 *                              1 deposit, 2 forced withdrawal, 3 forced message
 *   indexA                     queue item: w0's accountIndex (32 bits, may be ≥ 2^D); transfer/withdraw: from
 *   indexB                     transfer: to; otherwise the index of update b (0)
 *   tokenId, amount            queue item: from w0; transfer/withdraw: tokenId(from) and the amount
 *   nonce                      transfer/withdraw: the signed nonce
 *   recipient                  withdraw: the L1 recipient (< 2^160); 0 otherwise
 *   Ax, Ay, R8x, R8y, S        transfer/withdraw: the signer's key and signature; dummy otherwise
 *   leafA[4], siblingsA[D]     update a: the leaf at indexA mod 2^D before the slot, and its siblings
 *   leafB[4], siblingsB[D]     update b: the leaf at indexB after update a, and its siblings then
 *
 * Constraints:
 *   ranges       amount < 2^128, tokenId < 2^32, indexA < 2^32, indexB < 2^D, recipient < 2^160;
 *                every balance written is < 2^128 (so, inductively from genesis, every leaf balance is).
 *   queue item   w0 = kind + tokenId·2^8 + indexA·2^40 + amount·2^72 with kind ∈ {1, 2, 3} (the unique
 *                decomposition); update a is at indexA mod 2^D; queueHash' = H_4(queueHash, w0, w1, w2).
 *   deposit      (kind 1) credited iff indexA < 2^D, leafA is empty (keyHash 0)
 *                or holds (w1, tokenId), and balance + amount < 2^128: then leafA becomes
 *                (w1, tokenId, balance + amount, nonce); otherwise leafA is unchanged and
 *                E = H_3(w2, tokenId, amount).
 *   forced       (kind 2; w1 = the owner's key hash, w2 = the L1 recipient; no signature: checked on chain)
 *   withdrawal   executed iff indexA < 2^D, keyHash(leafA) = w1 ≠ 0, token(leafA) = tokenId, amount > 0 and
 *                amount ≤ balance(leafA): then leafA becomes (key, token, balance − amount, nonce) and
 *                E = H_3(w2, tokenId, amount); otherwise nothing changes and E = 0 (a no-op).
 *   forced msg   (kind 3) nothing changes, E = 0.
 *   transfer     signature by A (A and R8 on the curve) of H_6(2, chainId, indexA, indexB, amount, nonce) with
 *   / withdraw   H_2(A) = keyHash(leafA) ≠ 0, indexA < 2^D, nonce = nonce(leafA), tokenId = token(leafA),
 *                amount ≤ balance(leafA); leafA becomes (key, token, balance − amount, nonce + 1).
 *                Withdraw signs H_6(3, chainId, indexA, recipient, amount, nonce) and E = H_3(recipient,
 *                tokenId, amount). Transfer: leafB (read after update a) has keyHash ≠ 0, token = tokenId,
 *                and becomes (key, token, balance + amount < 2^128, nonce).
 *   otherwise    leafB is unchanged for every non-transfer (the root after b is the root after a);
 *                leafA is unchanged for no-ops, refunds, no-op forced withdrawals and forced messages;
 *                E = 0 unless withdraw, refund or executed forced withdrawal; the queue hash is unchanged
 *                unless op type 1.
 * Update b's old leaf is checked in every slot (leafB at indexB in the tree after update a); its new-leaf
 * hash doubles as the queue step in queue-item slots (one Poseidon(4) saved per slot).
 */
template LedgerSlot(D) {
    assert(D >= 1 && D <= 32);

    signal input chainId;
    signal input rootIn;
    signal input queueHashIn;
    signal output rootOut;
    signal output queueHashOut;
    signal output isQueueItem;
    signal output entry;

    signal input opType;
    signal input w0;
    signal input w1;
    signal input w2;
    signal input indexA;
    signal input indexB;
    signal input tokenId;
    signal input amount;
    signal input nonce;
    signal input recipient;
    signal input Ax;
    signal input Ay;
    signal input R8x;
    signal input R8y;
    signal input S;
    signal input leafA[4];
    signal input siblingsA[D];
    signal input leafB[4];
    signal input siblingsB[D];

    // ---- operation type -------------------------------------------------------------------------
    component op = OpSelectors();
    op.opType <== opType;
    signal isQueue <== op.sel[1];
    signal isTransfer <== op.sel[2];
    signal isWithdraw <== op.sel[3];
    signal isSigned <== isTransfer + isWithdraw;
    isQueueItem <== isQueue;
    component kind = QueueKindSelectors();
    kind.isQueue <== isQueue;
    kind.w0 <== w0;
    signal isDep <== kind.deposit;               // kind 1
    signal isForced <== kind.forcedWithdrawal;   // kind 2 (kind 3 has no effect besides the queue step)

    // ---- ranges -----------------------------------------------------------------------------------
    component amountBits = Num2Bits(128);
    amountBits.in <== amount;
    component tokenBits = Num2Bits(32);
    tokenBits.in <== tokenId;
    component recipientBits = Num2Bits(160);
    recipientBits.in <== recipient;

    // indexA: 32 bits; the low D bits are update a's path, the rest must be 0 for the slot to be in range.
    component indexABits = Num2Bits(32);
    indexABits.in <== indexA;
    signal pathA[D];
    var lowA = 0;
    for (var l = 0; l < D; l++) {
        pathA[l] <== indexABits.out[l];
        lowA += indexABits.out[l] * (1 << l);
    }
    component aInRange = IsZero();
    aInRange.in <== indexA - lowA;
    component indexBBits = Num2Bits(D);
    indexBBits.in <== indexB;

    // ---- queue item: w0 (hashed below, sharing update b's new-leaf hash) -------------------------
    isQueue * (w0 - (kind.kind + tokenId * (1 << 8) + indexA * (1 << 40) + amount * (1 << 72))) === 0;

    // ---- update a: balance arithmetic ------------------------------------------------------------
    // sumA = balance + amount (deposit), balance − amount (transfer/withdraw), balance − amount + 2^128
    // (forced withdrawal), balance (otherwise); it has 129 bits: bit 128 is a deposit's overflow, must be 0
    // for a signed debit (so amount ≤ balance), and is a forced withdrawal's "amount ≤ balance".
    signal deltaA <== amount * (isDep - isSigned - isForced);
    component sumABits = Num2Bits(129);
    sumABits.in <== leafA[2] + deltaA + isForced * (1 << 128);
    signal overflowA <== sumABits.out[128];
    // A debit below zero is already unrepresentable in 129 bits (amount, balance < 2^128); this states
    // amount ≤ balance directly, independently of that argument.
    isSigned * overflowA === 0;

    // ---- deposit: credit or refund --------------------------------------------------------------
    component aEmpty = IsZero();
    aEmpty.in <== leafA[0];
    component sameKey = IsZero();
    sameKey.in <== leafA[0] - w1;
    component sameToken = IsZero();
    sameToken.in <== leafA[1] - tokenId;
    signal holdsAccount <== sameKey.out * sameToken.out;
    signal slotRefuses <== (1 - aEmpty.out) * (1 - holdsAccount);
    signal inRangeAndFits <== aInRange.out * (1 - slotRefuses);
    signal creditable <== inRangeAndFits * (1 - overflowA);
    signal credit <== isDep * creditable;

    // ---- forced withdrawal: execute or no-op -----------------------------------------------------
    // executed iff indexA < 2^D, leafA is not empty and holds (w1, tokenId), amount > 0, amount ≤ balance.
    component amountZero = IsZero();
    amountZero.in <== amount;
    signal forcedInRange <== isForced * aInRange.out;
    signal forcedOwned <== forcedInRange * (1 - aEmpty.out);
    signal forcedHeld <== forcedOwned * holdsAccount;
    signal forcedPositive <== forcedHeld * (1 - amountZero.out);
    signal forcedDebit <== forcedPositive * overflowA;

    // ---- transfer / withdraw: the sender ---------------------------------------------------------
    isSigned * aEmpty.out === 0;                 // keyHash(from) ≠ 0
    isSigned * (indexA - lowA) === 0;            // from < 2^D
    isSigned * (nonce - leafA[3]) === 0;         // the signed nonce is the slot's
    isSigned * (tokenId - leafA[1]) === 0;       // tokenId names the sender's token

    // Message: H_6(type, chainId, from, to | recipient, amount, nonce).
    signal counterparty <== recipient + isTransfer * (indexB - recipient);
    component msg = Poseidon(6);
    msg.inputs[0] <== opType;
    msg.inputs[1] <== chainId;
    msg.inputs[2] <== indexA;
    msg.inputs[3] <== counterparty;
    msg.inputs[4] <== amount;
    msg.inputs[5] <== nonce;

    component sig = SignedBy();
    sig.enabled <== isSigned;
    sig.keyHash <== leafA[0];
    sig.M <== msg.out;
    sig.Ax <== Ax;
    sig.Ay <== Ay;
    sig.R8x <== R8x;
    sig.R8y <== R8y;
    sig.S <== S;

    // ---- update a ---------------------------------------------------------------------------------
    signal newA[4];
    newA[0] <== leafA[0] + credit * (w1 - leafA[0]);
    newA[1] <== leafA[1] + credit * (tokenId - leafA[1]);
    newA[2] <== leafA[2] + amount * (credit - isSigned - forcedDebit);
    newA[3] <== leafA[3] + isSigned;

    component updA = LeafUpdate(D);
    updA.oldRoot <== rootIn;
    updA.oldLeaf <== leafA;
    updA.newLeaf <== newA;
    updA.pathBits <== pathA;
    updA.siblings <== siblingsA;

    // ---- update b: a transfer's recipient (read after update a) ---------------------------------
    component bEmpty = IsZero();
    bEmpty.in <== leafB[0];
    isTransfer * bEmpty.out === 0;               // to is not empty
    isTransfer * (leafB[1] - tokenId) === 0;     // same token

    signal newB[4];
    newB[0] <== leafB[0];
    newB[1] <== leafB[1];
    newB[2] <== leafB[2] + isTransfer * amount;
    newB[3] <== leafB[3];
    component newBBalance = Num2Bits(128);       // balance(to) + amount < 2^128
    newBBalance.in <== newB[2];

    // Update b's new leaf only matters for a transfer (otherwise leafB is unchanged and the root after b is
    // the root after a), and the queue step only for a queue item: the two share one Poseidon(4), whose
    // inputs are the queue step's for a queue item and newB's otherwise.
    //   queueHash' = H_4(queueHash, w0, w1, w2)          (queue item)
    //   root after b = the root of newB on b's path     (transfer), the root after a (otherwise).
    signal shared[4];
    shared[0] <== newB[0] + isQueue * (queueHashIn - newB[0]);
    shared[1] <== newB[1] + isQueue * (w0 - newB[1]);
    shared[2] <== newB[2] + isQueue * (w1 - newB[2]);
    shared[3] <== newB[3] + isQueue * (w2 - newB[3]);
    component sharedHash = LeafHash();
    sharedHash.leaf <== shared;
    queueHashOut <== queueHashIn + isQueue * (sharedHash.out - queueHashIn);

    component oldBHash = LeafHash();
    oldBHash.leaf <== leafB;
    component oldBPath = MerkleRoot(D);
    oldBPath.leaf <== oldBHash.out;
    oldBPath.pathBits <== indexBBits.out;
    oldBPath.siblings <== siblingsB;
    oldBPath.root === updA.newRoot;              // leafB is at indexB in the tree after update a
    component newBPath = MerkleRoot(D);
    newBPath.leaf <== sharedHash.out;
    newBPath.pathBits <== indexBBits.out;
    newBPath.siblings <== siblingsB;
    rootOut <== updA.newRoot + isTransfer * (newBPath.root - updA.newRoot);

    // ---- withdrawal entry: withdraw, a refunded deposit, or an executed forced withdrawal ----------
    // (w2 is the refund address of a deposit and the L1 recipient of a forced withdrawal)
    signal payee <== w2 + isWithdraw * (recipient - w2);
    component entryHash = Poseidon(3);
    entryHash.inputs[0] <== payee;
    entryHash.inputs[1] <== tokenId;
    entryHash.inputs[2] <== amount;
    entry <== (isWithdraw + isDep - credit + forcedDebit) * entryHash.out;
}
