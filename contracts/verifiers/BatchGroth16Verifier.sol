// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchGroth16Verifier} from "../interfaces/IBatchGroth16Verifier.sol";
import {IRequestQueue} from "../interfaces/IRequestQueue.sol";
import {IUpdateVerifier} from "../interfaces/IUpdateVerifier.sol";
import {LedgerPublicSignals} from "../libraries/LedgerPublicSignals.sol";
import {ChainId} from "../types/ChainId.sol";
import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title BatchGroth16Verifier
/// @notice The registry's verifier for chains running the reference ledger, checking any number of
///         Groth16 proofs (up to MAX_BATCH) with one pairing check of N + 3 pairs (IBatchGroth16Verifier).
/// @dev Invariants:
///      - Stateless (every entry point is `view` and works under STATICCALL); the verifying key and the
///        queue are immutables, fixed at deployment, and the key was checked to be on its curves.
///      - Never accepts a batch containing a proof that the single Groth16 verifier with the same key
///        rejects, except with probability ≤ about 1/r per call: the batch scalars r_i (i > 0) are
///        keccak256(seed, i) with seed = keccak256(every proof word ‖ every signal), so they are fixed only
///        once every input is, and they are never zero.
///      - Accepts every batch of valid proofs (completeness), in any order and with repetitions.
///      - Rejects non-canonical encodings (a signal ≥ r, a coordinate ≥ q) with an error, so no two
///        encodings of one proof or statement are accepted (the generated single verifier returns false
///        for them instead).
///      - `verify`, `verifyBatch` and `verifyBatchWords` accept an update only as `Groth16UpdateVerifier`
///        would: the same signals (`LedgerPublicSignals.derive`), the same queue check (answered here for
///        position 0, where every queue's hash is 0), the same proof words.
///      - The update entry points answer every input (results and revert data) as the slow path alone
///        would: one update after the other, each with the compiler's calldata accessors,
///        `LedgerPublicSignals.derive` and one `isQueuePoint` call, then the range check of every proof
///        word. The fast path (`_loadUpdates`: signals derived in assembly, one queue call for the batch,
///        range checks while loading) only ever answers "every check passes, and the batch is loaded as
///        the slow path would load it"; anything else, including a queue without `areQueuePoints`, sends
///        the call to the slow path, which then fails exactly where the original code did.
///
///      Memory layout of one check (n proofs), from a fresh allocation `buf`:
///        buf                      n proofs, 8 words each, proof layout [A, B, C]
///        buf + 256n               n signal sets, 5 words each
///        buf + 416n               n + 3 pairing pairs of 6 words [G1 x, y, G2 x1, x0, y1, y0]:
///                                 pair i (< n) = (r_i·A_i, B_i); pair n = (-s·α, β) with s = Σ r_i;
///                                 pair n+1 = (-Σ r_i·L_i, γ); pair n+2 = (-Σ r_i·C_i, δ)
///        buf + 416n + 192(n + 3)  6 words of scalars: s, then t_j = Σ_i r_i·x_ij mod r for j = 1..5
///      Before the pairs are built, their region holds the fast path's `areQueuePoints` call. A pair's G2
///      words double as the scratch input of the precompile calls that build its G1 point; once the
///      scalars are summed, a proof's words hold its r_i, and then the first ten words of `buf` hold
///      IC_1..IC_5.
contract BatchGroth16Verifier is IBatchGroth16Verifier {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    IRequestQueue private immutable _queue;

    /// @dev The verifying key, in the precompiles' encoding (G2: imaginary part first).
    uint256 private immutable _ALPHA_X;
    uint256 private immutable _ALPHA_Y;
    uint256 private immutable _BETA_X1;
    uint256 private immutable _BETA_X0;
    uint256 private immutable _BETA_Y1;
    uint256 private immutable _BETA_Y0;
    uint256 private immutable _GAMMA_X1;
    uint256 private immutable _GAMMA_X0;
    uint256 private immutable _GAMMA_Y1;
    uint256 private immutable _GAMMA_Y0;
    uint256 private immutable _DELTA_X1;
    uint256 private immutable _DELTA_X0;
    uint256 private immutable _DELTA_Y1;
    uint256 private immutable _DELTA_Y0;
    uint256 private immutable _IC0_X;
    uint256 private immutable _IC0_Y;
    uint256 private immutable _IC1_X;
    uint256 private immutable _IC1_Y;
    uint256 private immutable _IC2_X;
    uint256 private immutable _IC2_Y;
    uint256 private immutable _IC3_X;
    uint256 private immutable _IC3_Y;
    uint256 private immutable _IC4_X;
    uint256 private immutable _IC4_Y;
    uint256 private immutable _IC5_X;
    uint256 private immutable _IC5_Y;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBatchGroth16Verifier
    uint256 public constant MAX_BATCH = 64;

    /// @dev BN254 scalar field order r and base field order q.
    uint256 private constant _R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant _Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
    /// @dev r - 1, as a literal: inline assembly takes no constant expressions, and the compiler does not fold
    ///      `sub(_R, 1)` in every context.
    uint256 private constant _R_MINUS_ONE =
        21888242871839275222246405745257275088548364400416034343698204186575808495616;

    /// @dev Bytes per proof (8 words), per signal set (5 words), per proof and its signals, per pairing pair.
    uint256 private constant _PROOF_BYTES = 256;
    uint256 private constant _SIGNALS_BYTES = 160;
    uint256 private constant _INPUT_BYTES = 416;
    uint256 private constant _PAIR_BYTES = 192;
    /// @dev Bytes after the pairs: the six scalars.
    uint256 private constant _SCALAR_BYTES = 192;

    /// @dev What `_check` range-checks first: nothing (the fast path checked the proofs, and derived signals
    ///      are field elements), the proof words, or the proof words and the signals.
    uint256 private constant _RANGES_NONE = 0;
    uint256 private constant _RANGES_PROOFS = 1;
    uint256 private constant _RANGES_ALL = 2;

    /// @dev Precompiles (EIP-196, EIP-197).
    uint256 private constant _EC_ADD = 0x06;
    uint256 private constant _EC_MUL = 0x07;
    uint256 private constant _PAIRING = 0x08;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param vk The verifying key in the precompiles' encoding (`src/prover/vkey.ts` converts snarkjs'
    ///        vkey.json); reverts with {BatchGroth16VerifierInvalidKey} if a point is not on its curve.
    /// @param queue_ The request queue of the settlement chain.
    constructor(VerifyingKey memory vk, IRequestQueue queue_) {
        if (address(queue_) == address(0)) revert BatchGroth16VerifierZeroAddress();
        if (!_validKey(vk)) revert BatchGroth16VerifierInvalidKey();
        _queue = queue_;
        _ALPHA_X = vk.alpha1[0];
        _ALPHA_Y = vk.alpha1[1];
        _BETA_X1 = vk.beta2[0][0];
        _BETA_X0 = vk.beta2[0][1];
        _BETA_Y1 = vk.beta2[1][0];
        _BETA_Y0 = vk.beta2[1][1];
        _GAMMA_X1 = vk.gamma2[0][0];
        _GAMMA_X0 = vk.gamma2[0][1];
        _GAMMA_Y1 = vk.gamma2[1][0];
        _GAMMA_Y0 = vk.gamma2[1][1];
        _DELTA_X1 = vk.delta2[0][0];
        _DELTA_X0 = vk.delta2[0][1];
        _DELTA_Y1 = vk.delta2[1][0];
        _DELTA_Y0 = vk.delta2[1][1];
        _IC0_X = vk.ic[0][0];
        _IC0_Y = vk.ic[0][1];
        _IC1_X = vk.ic[1][0];
        _IC1_Y = vk.ic[1][1];
        _IC2_X = vk.ic[2][0];
        _IC2_Y = vk.ic[2][1];
        _IC3_X = vk.ic[3][0];
        _IC3_Y = vk.ic[3][1];
        _IC4_X = vk.ic[4][0];
        _IC4_Y = vk.ic[4][1];
        _IC5_X = vk.ic[5][0];
        _IC5_Y = vk.ic[5][1];
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBatchGroth16Verifier
    function verifyProofs(uint256[8][] calldata proofs, uint256[5][] calldata signals) external view returns (bool ok) {
        uint256 n = proofs.length;
        _checkCount(n, signals.length);
        uint256 buf = _allocate(n);
        // Both arrays are contiguous in calldata (static inner arrays): copy them as they are.
        assembly ("memory-safe") {
            calldatacopy(buf, proofs.offset, mul(n, _PROOF_BYTES))
            calldatacopy(add(buf, mul(n, _PROOF_BYTES)), signals.offset, mul(n, _SIGNALS_BYTES))
        }
        ok = _check(buf, n, _RANGES_ALL);
    }

    /// @inheritdoc IBatchGroth16Verifier
    function verifyBatch(UpdatePublicData[] calldata data, bytes[] calldata proofs) external view returns (bool ok) {
        uint256 n = proofs.length;
        _checkCount(n, data.length);
        uint256 buf = _allocate(n);
        uint256 dataStart;
        uint256 proofsStart;
        assembly ("memory-safe") {
            dataStart := data.offset
            proofsStart := proofs.offset
        }
        if (_loadUpdates(buf, n, dataStart, proofsStart, true)) return _check(buf, n, _RANGES_NONE);
        // Not known to pass: the slow path, one update after the other, reverts with the first error if any.
        for (uint256 i; i < n; ++i) {
            _loadUpdate(buf, n, i, data[i], proofs[i]);
        }
        // LedgerPublicSignals.derive only returns field elements: no signal range check needed.
        ok = _check(buf, n, _RANGES_PROOFS);
    }

    /// @inheritdoc IBatchGroth16Verifier
    function verifyBatchWords(
        UpdatePublicData[] calldata data,
        uint256[8][] calldata proofs
    ) external view returns (bool ok) {
        uint256 n = proofs.length;
        _checkCount(n, data.length);
        uint256 buf = _allocate(n);
        uint256 dataStart;
        uint256 proofsStart;
        assembly ("memory-safe") {
            dataStart := data.offset
            proofsStart := proofs.offset
        }
        if (_loadUpdates(buf, n, dataStart, proofsStart, false)) return _check(buf, n, _RANGES_NONE);
        for (uint256 i; i < n; ++i) {
            _loadUpdateAt(buf, n, i, data[i], proofsStart + i * _PROOF_BYTES);
        }
        ok = _check(buf, n, _RANGES_PROOFS);
    }

    /// @inheritdoc IUpdateVerifier
    /// @dev A batch of one: the same checks, errors and result as `verifyBatch([data], [proof])`.
    function verify(UpdatePublicData calldata data, bytes calldata proof) external view returns (bool ok) {
        uint256 buf = _allocate(1);
        uint256 dataStart;
        uint256 proofStart;
        assembly ("memory-safe") {
            dataStart := data
            proofStart := proof.offset
        }
        // 256 bytes of proof are its eight words, as in `verifyBatchWords`.
        if (proof.length == _PROOF_BYTES && _loadUpdates(buf, 1, dataStart, proofStart, false)) {
            return _check(buf, 1, _RANGES_NONE);
        }
        _loadUpdate(buf, 1, 0, data, proof);
        ok = _check(buf, 1, _RANGES_PROOFS);
    }

    /// @inheritdoc IBatchGroth16Verifier
    function verifyingKey() external view returns (VerifyingKey memory vk) {
        vk.alpha1 = [_ALPHA_X, _ALPHA_Y];
        vk.beta2 = [[_BETA_X1, _BETA_X0], [_BETA_Y1, _BETA_Y0]];
        vk.gamma2 = [[_GAMMA_X1, _GAMMA_X0], [_GAMMA_Y1, _GAMMA_Y0]];
        vk.delta2 = [[_DELTA_X1, _DELTA_X0], [_DELTA_Y1, _DELTA_Y0]];
        vk.ic = [
            [_IC0_X, _IC0_Y],
            [_IC1_X, _IC1_Y],
            [_IC2_X, _IC2_Y],
            [_IC3_X, _IC3_Y],
            [_IC4_X, _IC4_Y],
            [_IC5_X, _IC5_Y]
        ];
    }

    /// @inheritdoc IBatchGroth16Verifier
    function queue() external view returns (address) {
        return address(_queue);
    }

    /*//////////////////////////////////////////////////////////////
                            INPUT HANDLING
    //////////////////////////////////////////////////////////////*/

    /// @dev Reverts unless 0 < n ≤ MAX_BATCH and the other array has n entries too.
    function _checkCount(uint256 n, uint256 inputs) private pure {
        if (n != inputs) revert BatchGroth16VerifierLengthMismatch(n, inputs);
        if (n == 0) revert BatchGroth16VerifierEmptyBatch();
        if (n > MAX_BATCH) revert BatchGroth16VerifierBatchTooLarge(n, MAX_BATCH);
    }

    /// @dev Reserves the memory of one check of n proofs (layout: see the contract's notes) and returns its start.
    function _allocate(uint256 n) private pure returns (uint256 buf) {
        assembly ("memory-safe") {
            buf := mload(0x40)
            let size := add(add(mul(n, _INPUT_BYTES), mul(add(n, 3), _PAIR_BYTES)), _SCALAR_BYTES)
            mstore(0x40, add(buf, size))
        }
    }

    /// @dev The fast path of `verifyBatch`, `verifyBatchWords` and `verify`: writes the n proofs and the
    ///      signals of the n updates into the batch at `buf`, and returns true only if every check of the slow
    ///      path (`_loadUpdate` for each update, then the proof range check of `_check`) passes, asking the
    ///      queue about every update off position 0 in one call (`_askQueue`). False means only "not known
    ///      to pass": the caller then runs the slow path, which reverts with the first error or, if there is
    ///      none, loads the batch itself. So every entry point keeps the slow path's errors and decisions, and
    ///      the fast path needs no error reporting of its own.
    /// @param data Calldata offset of n `UpdatePublicData` structs (10 words each, already bounds-checked by
    ///        the ABI decoder).
    /// @param proofs With `offsets`: calldata offset of the n relative offsets of a `bytes[]`, whose
    ///        elements are checked here more strictly than the compiler's accessor checks them; without:
    ///        calldata offset of n proofs of eight words each, already bounds-checked.
    function _loadUpdates(
        uint256 buf,
        uint256 n,
        uint256 data,
        uint256 proofs,
        bool offsets
    ) private view returns (bool clean) {
        if (!_loadProofs(buf, n, proofs, offsets)) return false;
        (bool loaded, uint256 pointsEnd) = _loadData(buf, n, data);
        if (loaded) clean = _askQueue(buf + n * _INPUT_BYTES, n, pointsEnd);
    }

    /// @dev Copies the n proofs to `buf` (see `_loadUpdates`); false if a `bytes` proof is malformed (the
    ///      words' range is `_loadData`'s).
    function _loadProofs(uint256 buf, uint256 n, uint256 proofs, bool offsets) private pure returns (bool ok) {
        assembly ("memory-safe") {
            /// Copies the proofs to buf; non-zero if a `bytes` proof is malformed (loadData checks the words).
            function loadProofs(buf_, n_, proofs_, offsets_) -> bad {
                switch offsets_
                case 0 {
                    calldatacopy(buf_, proofs_, shl(8, n_))
                }
                default {
                    let end := add(buf_, shl(8, n_))
                    let ptr := proofs_
                    for {
                        let dst := buf_
                    } lt(dst, end) {
                        dst := add(dst, _PROOF_BYTES)
                        ptr := add(ptr, 0x20)
                    } {
                        // The accessor's checks, made stricter: rel < 2^64, the length word and 256 bytes
                        // after it inside the calldata, the length 256.
                        let rel := calldataload(ptr)
                        let src := add(add(proofs_, rel), 0x20)
                        bad := or(bad, or(shr(64, rel), gt(add(src, _PROOF_BYTES), calldatasize())))
                        bad := or(bad, xor(calldataload(sub(src, 0x20)), _PROOF_BYTES))
                        calldatacopy(dst, src, _PROOF_BYTES)
                    }
                }
            }

            ok := iszero(loadProofs(buf, n, proofs, offsets))
        }
    }

    /// @dev Writes the signals of the n updates at `data` after the proofs (LedgerPublicSignals.derive), and
    ///      their queue points off position 0 into the three arrays of `_askQueue`'s call (see `_loadUpdates`),
    ///      `stride` bytes apart; checks a point at position 0 here. True if every update passes what
    ///      `_loadUpdate` checks besides the proof length and the queue, and every proof word is below q.
    ///      Returns the end of the first array's entries.
    function _loadData(uint256 buf, uint256 n, uint256 data) private pure returns (bool ok, uint256 pointsEnd) {
        assembly ("memory-safe") {
            /// Updates from `d`, signals at [sig, end), proofs from `p`, the arrays from `end` (see above).
            function loadData(sig, end, d, p, stride) -> bad, itemsEnd {
                itemsEnd := add(end, 0x84)
                for {} lt(sig, end) {
                    sig := add(sig, _SIGNALS_BYTES)
                    d := add(d, 0x140)
                    p := add(p, _PROOF_BYTES)
                } {
                    // UpdatePublicData words: 0 chainId, 1 ackBlock, 2 l2Block, 3 queuePosition, 4 prevRoot,
                    // 5 newRoot, 6 queueHash, 7 outboxRoot, 8 inboxRoot, 9 withdrawalRoot. `bad` for what the
                    // compiler's reads revert on (a uint64 above 2^64 - 1; ackBlock is never read), and for
                    // derive's checks. The queue entry is written in any case, and kept if the position is not
                    // 0; (0, h) is a point of every queue iff h = 0 (`_isQueuePoint`).
                    {
                        let position := calldataload(add(d, 0x60))
                        {
                            let chainId := calldataload(d)
                            let l2Block := calldataload(add(d, 0x40))
                            bad := or(bad, shr(64, or(or(chainId, l2Block), position)))
                            mstore(add(sig, 0x80), or(or(chainId, shl(64, l2Block)), shl(128, position)))
                            mstore(itemsEnd, chainId)
                        }
                        mstore(add(itemsEnd, stride), position)
                        let queueHash := calldataload(add(d, 0xc0))
                        mstore(add(itemsEnd, shl(1, stride)), queueHash)
                        let kept := iszero(iszero(position))
                        bad := or(bad, mul(iszero(kept), queueHash))
                        itemsEnd := add(itemsEnd, shl(5, kept))
                    }
                    {
                        let withdrawalRoot := calldataload(add(d, 0x120))
                        let good := and(lt(calldataload(add(d, 0x80)), _R), lt(calldataload(add(d, 0xa0)), _R))
                        good := and(good, and(lt(calldataload(add(d, 0xc0)), _R), lt(withdrawalRoot, _R)))
                        bad := or(bad, or(iszero(good), or(calldataload(add(d, 0xe0)), calldataload(add(d, 0x100)))))
                        calldatacopy(sig, add(d, 0x80), 0x60)
                        mstore(add(sig, 0x60), withdrawalRoot)
                    }
                    // The proof words, below q.
                    let good := and(lt(mload(p), _Q), lt(mload(add(p, 0x20)), _Q))
                    good := and(good, and(lt(mload(add(p, 0x40)), _Q), lt(mload(add(p, 0x60)), _Q)))
                    good := and(good, and(lt(mload(add(p, 0x80)), _Q), lt(mload(add(p, 0xa0)), _Q)))
                    good := and(good, and(lt(mload(add(p, 0xc0)), _Q), lt(mload(add(p, 0xe0)), _Q)))
                    bad := or(bad, iszero(good))
                }
            }

            let signals := add(buf, mul(n, _PROOF_BYTES))
            let bad, end := loadData(signals, add(buf, mul(n, _INPUT_BYTES)), data, buf, shl(5, add(n, 1)))
            ok := iszero(bad)
            pointsEnd := end
        }
    }

    /// @dev Whether the points that `_loadUpdates` wrote at `args` (the pairs region of the batch, unused until
    ///      `_check`) are all points of their queues: true without a call if there are none; for one,
    ///      `_queue.isQueuePoint` (a cheaper call); else `_queue.areQueuePoints`, whose call is encoded in place
    ///      around them: the selector, three heads, then the three arrays (length and entries), each with room
    ///      for n entries. False unless the call succeeds and answers exactly `true`.
    function _askQueue(uint256 args, uint256 n, uint256 itemsEnd) private view returns (bool ok) {
        address queue_ = address(_queue);
        bytes4 one = IRequestQueue.isQueuePoint.selector;
        bytes4 many = IRequestQueue.areQueuePoints.selector;
        assembly ("memory-safe") {
            let stride := shl(5, add(n, 1))
            let lengths := add(args, 0x64)
            let first := add(lengths, 0x20)
            switch shr(5, sub(itemsEnd, first))
            case 0 {
                ok := 1
            }
            case 1 {
                let chainId := mload(first)
                let position := mload(add(first, stride))
                let queueHash := mload(add(first, shl(1, stride)))
                mstore(args, one)
                mstore(add(args, 0x04), chainId)
                mstore(add(args, 0x24), position)
                mstore(add(args, 0x44), queueHash)
                ok := staticcall(gas(), queue_, args, 0x64, 0x00, 0x20)
                ok := and(ok, and(eq(returndatasize(), 0x20), eq(mload(0x00), 1)))
            }
            default {
                let count := shr(5, sub(itemsEnd, first))
                mstore(args, many)
                mstore(add(args, 0x04), 0x60)
                mstore(add(args, 0x24), add(0x60, stride))
                mstore(add(args, 0x44), add(0x60, shl(1, stride)))
                mstore(lengths, count)
                mstore(add(lengths, stride), count)
                mstore(add(lengths, shl(1, stride)), count)
                ok := staticcall(gas(), queue_, args, add(0x64, mul(3, stride)), 0x00, 0x20)
                ok := and(ok, and(eq(returndatasize(), 0x20), eq(mload(0x00), 1)))
            }
        }
    }

    /// @dev The slow path for one update: checks update i the way Groth16UpdateVerifier does (proof length,
    ///      signals, queue point), reverting with the first error, and writes its proof and signals into
    ///      slot i of the batch at `buf`.
    function _loadUpdate(
        uint256 buf,
        uint256 n,
        uint256 i,
        UpdatePublicData calldata data,
        bytes calldata proof
    ) private view {
        if (proof.length != _PROOF_BYTES) revert BatchGroth16VerifierBadProofLength(i, proof.length);
        uint256 proofStart;
        assembly ("memory-safe") {
            proofStart := proof.offset
        }
        _loadUpdateAt(buf, n, i, data, proofStart);
    }

    /// @dev `_loadUpdate` after the proof length check, for the 256 bytes of proof at calldata offset `proof`.
    function _loadUpdateAt(
        uint256 buf,
        uint256 n,
        uint256 i,
        UpdatePublicData calldata data,
        uint256 proof
    ) private view {
        uint256[5] memory signals = LedgerPublicSignals.derive(data);
        if (!_isQueuePoint(data.chainId, data.queuePosition, data.queueHash)) {
            revert BatchGroth16VerifierQueueMismatch(i, data.queuePosition, data.queueHash);
        }
        assembly ("memory-safe") {
            calldatacopy(add(buf, mul(i, _PROOF_BYTES)), proof, _PROOF_BYTES)
            mcopy(add(add(buf, mul(n, _PROOF_BYTES)), mul(i, _SIGNALS_BYTES)), signals, _SIGNALS_BYTES)
        }
    }

    /// @dev `_queue.isQueuePoint(chainId, position, queueHash)`, encoded by hand in free memory (cheaper
    ///      than the compiler's encoder and decoder). A call that fails or answers anything but `true`
    ///      counts as false; the queue's `isQueuePoint` never reverts. Position 0 needs no call: every
    ///      queue's hash at position 0 is 0 (`h_0 = 0`, IRequestQueue), so (0, h) is a point iff h = 0,
    ///      which saves a chain without deposits two cold storage reads.
    function _isQueuePoint(ChainId chainId, uint64 position, bytes32 queueHash) private view returns (bool ok) {
        if (position == 0) return queueHash == bytes32(0);
        address queue_ = address(_queue);
        bytes4 selector = IRequestQueue.isQueuePoint.selector;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, selector)
            mstore(add(p, 0x04), chainId)
            mstore(add(p, 0x24), position)
            mstore(add(p, 0x44), queueHash)
            ok := staticcall(gas(), queue_, p, 0x64, 0x00, 0x20)
            ok := and(and(ok, eq(returndatasize(), 0x20)), eq(mload(0x00), 1))
        }
    }

    /// @dev Reverts unless every proof word is below q and, if `signalsToo`, every signal below r. One
    ///      cheap pass finds whether anything is out of range; only then does a second pass name the first
    ///      offender.
    function _checkRanges(uint256 buf, uint256 n, bool signalsToo) private pure {
        bool good = true;
        assembly ("memory-safe") {
            let end := add(buf, mul(n, _PROOF_BYTES))
            for {
                let p := buf
            } lt(p, end) {
                p := add(p, _PROOF_BYTES)
            } {
                good := and(good, and(lt(mload(p), _Q), lt(mload(add(p, 0x20)), _Q)))
                good := and(good, and(lt(mload(add(p, 0x40)), _Q), lt(mload(add(p, 0x60)), _Q)))
                good := and(good, and(lt(mload(add(p, 0x80)), _Q), lt(mload(add(p, 0xa0)), _Q)))
                good := and(good, and(lt(mload(add(p, 0xc0)), _Q), lt(mload(add(p, 0xe0)), _Q)))
            }
            if signalsToo {
                let signalsEnd := add(end, mul(n, _SIGNALS_BYTES))
                for {
                    let p := end
                } lt(p, signalsEnd) {
                    p := add(p, _SIGNALS_BYTES)
                } {
                    good := and(good, and(lt(mload(p), _R), lt(mload(add(p, 0x20)), _R)))
                    good := and(good, and(lt(mload(add(p, 0x40)), _R), lt(mload(add(p, 0x60)), _R)))
                    good := and(good, lt(mload(add(p, 0x80)), _R))
                }
            }
        }
        if (!good) _revertOutOfRange(buf, n);
    }

    /// @dev Reverts with the error for the first out-of-range word: proofs in order, each proof's words
    ///      before its signals.
    function _revertOutOfRange(uint256 buf, uint256 n) private pure {
        for (uint256 i; i < n; ++i) {
            for (uint256 k; k < 8; ++k) {
                uint256 v = _word(buf + i * _PROOF_BYTES + k * 0x20);
                if (v >= _Q) revert BatchGroth16VerifierCoordinateNotInField(i, k, v);
            }
            for (uint256 j; j < 5; ++j) {
                uint256 v = _word(buf + n * _PROOF_BYTES + i * _SIGNALS_BYTES + j * 0x20);
                if (v >= _R) revert BatchGroth16VerifierSignalNotInField(i, j, v);
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                              BATCH CHECK
    //////////////////////////////////////////////////////////////*/

    /// @dev The batch check of the n proofs and signals at `buf`: range checks as `ranges` says (reverting), then
    ///      Π e(r_i·A_i, B_i) · e(-s·α, β) · e(-Σ r_i·L_i, γ) · e(-Σ r_i·C_i, δ) = 1. False when the pairing
    ///      product is not 1 or a precompile call fails (a point off its curve or outside the subgroup).
    function _check(uint256 buf, uint256 n, uint256 ranges) private view returns (bool ok) {
        if (ranges != _RANGES_NONE) _checkRanges(buf, n, ranges == _RANGES_ALL);
        uint256 pairs = buf + n * _INPUT_BYTES;
        uint256 scalars = pairs + (n + 3) * _PAIR_BYTES;
        if (!_accumulate(buf, n, pairs, scalars)) return false;

        // The verifying key's points go where the precompiles take them: α and IC_0 into the G1 words of pairs
        // n and n + 1, IC_1..IC_5 into the proofs' memory (ten words; no longer needed, and at least 13 words
        // long), β, γ and δ into the G2 words of pairs n..n+2 once their use as scratch is over.
        uint256 pair = pairs + n * _PAIR_BYTES;
        {
            (uint256 ax, uint256 ay, uint256 x0, uint256 y0) = (_ALPHA_X, _ALPHA_Y, _IC0_X, _IC0_Y);
            assembly ("memory-safe") {
                mstore(pair, ax)
                mstore(add(pair, 0x20), ay)
                mstore(add(pair, 0xc0), x0)
                mstore(add(pair, 0xe0), y0)
            }
        }
        {
            (uint256 x1, uint256 y1, uint256 x2, uint256 y2) = (_IC1_X, _IC1_Y, _IC2_X, _IC2_Y);
            assembly ("memory-safe") {
                mstore(buf, x1)
                mstore(add(buf, 0x20), y1)
                mstore(add(buf, 0x40), x2)
                mstore(add(buf, 0x60), y2)
            }
        }
        {
            (uint256 x3, uint256 y3, uint256 x4, uint256 y4) = (_IC3_X, _IC3_Y, _IC4_X, _IC4_Y);
            assembly ("memory-safe") {
                mstore(add(buf, 0x80), x3)
                mstore(add(buf, 0xa0), y3)
                mstore(add(buf, 0xc0), x4)
                mstore(add(buf, 0xe0), y4)
            }
        }
        {
            (uint256 x5, uint256 y5) = (_IC5_X, _IC5_Y);
            assembly ("memory-safe") {
                mstore(add(buf, 0x100), x5)
                mstore(add(buf, 0x120), y5)
            }
        }
        if (!_keyTerms(buf, pair, scalars)) return false;
        _storeG2(pair + 0x40, _BETA_X1, _BETA_X0, _BETA_Y1, _BETA_Y0);
        _storeG2(pair + (_PAIR_BYTES + 0x40), _GAMMA_X1, _GAMMA_X0, _GAMMA_Y1, _GAMMA_Y0);
        _storeG2(pair + (2 * _PAIR_BYTES + 0x40), _DELTA_X1, _DELTA_X0, _DELTA_Y1, _DELTA_Y0);

        assembly ("memory-safe") {
            let success := staticcall(gas(), _PAIRING, pairs, mul(add(n, 3), _PAIR_BYTES), 0x00, 0x20)
            ok := and(success, eq(mload(0x00), 1))
        }
    }

    /// @dev The G1 points of pairs n..n+2 (at `pair`, pair n), given α and IC_0 in place, IC_1..IC_5 at
    ///      `ic` and the scalars at `scalars`: -s·α; -(s·IC_0 + Σ_j t_j·IC_j), six scalar multiplications
    ///      for the whole batch, with pair n + 1's G2 words as scratch; and -Σ r_i·C_i, which `_accumulate`
    ///      left in pair n + 2. -k·P is computed as (r - k)·P (r·P is the point at infinity, as 0·P would
    ///      be); k = 1 (a batch of one) needs only a negation, and t_j = 0 (signal j zero throughout the
    ///      batch) nothing. False as soon as a precompile call fails.
    function _keyTerms(uint256 ic, uint256 pair, uint256 scalars) private view returns (bool ok) {
        assembly ("memory-safe") {
            /// Writes -k·P over P = (x, y) at `dst`, using the word after it as scratch.
            function mulNeg(dst, k) -> done {
                switch k
                case 1 {
                    let y := add(dst, 0x20)
                    mstore(y, mod(sub(_Q, mload(y)), _Q))
                    done := 1
                }
                default {
                    mstore(add(dst, 0x40), sub(_R, k))
                    done := staticcall(gas(), _EC_MUL, dst, 0x60, dst, 0x40)
                }
            }

            /// Adds -k·P to the point at `acc`, P = (x, y) being at `point`.
            function mulNegAdd(acc, point, k) -> done {
                if iszero(k) {
                    done := 1
                    leave
                }
                mcopy(add(acc, 0x40), point, 0x40)
                mstore(add(acc, 0x80), sub(_R, k))
                if staticcall(gas(), _EC_MUL, add(acc, 0x40), 0x60, add(acc, 0x40), 0x40) {
                    done := staticcall(gas(), _EC_ADD, acc, 0x80, acc, 0x40)
                }
            }

            function terms(ic_, pair_, scalars_) -> done {
                let s := mload(scalars_)
                if iszero(mulNeg(pair_, s)) {
                    leave
                }
                let acc := add(pair_, _PAIR_BYTES)
                if iszero(mulNeg(acc, s)) {
                    leave
                }
                for {
                    let j := 0
                } lt(j, 0x140) {
                    j := add(j, 0x40)
                } {
                    // t_{j/64 + 1} and IC_{j/64 + 1}.
                    if iszero(mulNegAdd(acc, add(ic_, j), mload(add(add(scalars_, 0x20), shr(1, j))))) {
                        leave
                    }
                }
                // Σ r_i·C_i is canonical (ecAdd's output, or C_0 after the range check).
                let y := add(acc, add(_PAIR_BYTES, 0x20))
                mstore(y, mod(sub(_Q, mload(y)), _Q))
                done := 1
            }

            ok := terms(ic, pair, scalars)
        }
    }

    /// @dev Fills pairs 0..n-1, the G1 point of pair n + 2 (Σ r_i·C_i) and the six scalars (layout: see the
    ///      contract's notes). Proof 0 has r_0 = 1: pair 0 is (A_0, B_0) as given, and the C sum and the
    ///      scalars start at C_0, s = 1, t_j = x_0j. The seed of the other r_i is the hash of every proof
    ///      and every signal, so nothing can be chosen after the r_i. Proofs n-1..1 then follow, last
    ///      first, each proof's memory serving as the input of its own ecMul calls (it is not read again):
    ///      r_i goes over B_i's first word, once B_i is in its pair, and over the word after C_i (the next
    ///      proof's, already done, or for the last proof signal x_00, already read). False as soon as a
    ///      precompile call fails: a failing precompile consumes all the gas it was given, so nothing more is
    ///      attempted.
    function _accumulate(uint256 buf, uint256 n, uint256 pairs, uint256 scalars) private view returns (bool ok) {
        // x_00 is read before `_points` writes r_{n-1} over it.
        uint256 x00;
        assembly ("memory-safe") {
            x00 := mload(add(buf, shl(8, n)))
        }
        if (!_points(buf, n, pairs)) return false;
        assembly ("memory-safe") {
            mstore(add(buf, shl(8, n)), x00)
        }
        _scalarSums(buf, n, scalars);
        ok = true;
    }

    /// @dev The pairs 0..n-1 and Σ r_i·C_i of `_accumulate`; false as soon as a precompile call fails.
    function _points(uint256 buf, uint256 n, uint256 pairs) private view returns (bool ok) {
        assembly ("memory-safe") {
            function points(buf_, n_, pairs_, cAcc) -> done {
                // The seed stays in scratch word 0; r_i hashes it with i in word 1.
                mstore(0x00, keccak256(buf_, mul(n_, _INPUT_BYTES)))
                mcopy(pairs_, buf_, _PAIR_BYTES)
                mcopy(cAcc, add(buf_, 0xc0), 0x40)
                let proof := add(buf_, shl(8, n_))
                let pair := add(pairs_, mul(n_, _PAIR_BYTES))
                for {
                    let i := sub(n_, 1)
                } i {
                    i := sub(i, 1)
                } {
                    proof := sub(proof, _PROOF_BYTES)
                    pair := sub(pair, _PAIR_BYTES)
                    // r_i = 1 + (keccak256(seed, i) mod (r - 1)), in [1, r - 1].
                    mstore(0x20, i)
                    let ri := add(mod(keccak256(0x00, 0x40), _R_MINUS_ONE), 1)
                    // Pair i = (r_i·A_i, B_i).
                    mcopy(add(pair, 0x40), add(proof, 0x40), 0x80)
                    mstore(add(proof, 0x40), ri)
                    if iszero(staticcall(gas(), _EC_MUL, proof, 0x60, pair, 0x40)) {
                        leave
                    }
                    // C sum += r_i·C_i, with the words after the sum (δ's, written last) as scratch.
                    mstore(add(proof, 0x100), ri)
                    if iszero(staticcall(gas(), _EC_MUL, add(proof, 0xc0), 0x60, add(cAcc, 0x40), 0x40)) {
                        leave
                    }
                    if iszero(staticcall(gas(), _EC_ADD, cAcc, 0x80, cAcc, 0x40)) {
                        leave
                    }
                }
                done := 1
            }

            ok := points(buf, n, pairs, add(pairs, mul(add(n, 2), _PAIR_BYTES)))
        }
    }

    /// @dev The six scalars of `_accumulate`, from the signals and the r_i that `_points` left.
    function _scalarSums(uint256 buf, uint256 n, uint256 scalars) private pure {
        assembly ("memory-safe") {
            /// s = Σ r_i, t_j = Σ_i r_i·x_ij (mod r), with r_i (i > 0) where `points` left it.
            function scalarSums(buf_, n_, scalars_) {
                let x := add(buf_, shl(8, n_))
                let s := 1
                let t1 := mload(x)
                let t2 := mload(add(x, 0x20))
                let t3 := mload(add(x, 0x40))
                let t4 := mload(add(x, 0x60))
                let t5 := mload(add(x, 0x80))
                let rp := add(buf_, 0x40)
                let end := add(x, mul(n_, _SIGNALS_BYTES))
                for {
                    x := add(x, _SIGNALS_BYTES)
                } lt(x, end) {
                    x := add(x, _SIGNALS_BYTES)
                } {
                    rp := add(rp, _PROOF_BYTES)
                    let ri := mload(rp)
                    s := addmod(s, ri, _R)
                    t1 := addmod(t1, mulmod(ri, mload(x), _R), _R)
                    t2 := addmod(t2, mulmod(ri, mload(add(x, 0x20)), _R), _R)
                    t3 := addmod(t3, mulmod(ri, mload(add(x, 0x40)), _R), _R)
                    t4 := addmod(t4, mulmod(ri, mload(add(x, 0x60)), _R), _R)
                    t5 := addmod(t5, mulmod(ri, mload(add(x, 0x80)), _R), _R)
                }
                mstore(scalars_, s)
                mstore(add(scalars_, 0x20), t1)
                mstore(add(scalars_, 0x40), t2)
                mstore(add(scalars_, 0x60), t3)
                mstore(add(scalars_, 0x80), t4)
                mstore(add(scalars_, 0xa0), t5)
            }

            scalarSums(buf, n, scalars)
        }
    }

    /*//////////////////////////////////////////////////////////////
                            CURVE HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Writes a G2 point (precompile encoding) at `dst`.
    function _storeG2(uint256 dst, uint256 x1, uint256 x0, uint256 y1, uint256 y0) private pure {
        assembly ("memory-safe") {
            mstore(dst, x1)
            mstore(add(dst, 0x20), x0)
            mstore(add(dst, 0x40), y1)
            mstore(add(dst, 0x60), y0)
        }
    }

    /// @dev The word at memory address `p`.
    function _word(uint256 p) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := mload(p)
        }
    }

    /// @dev Whether every coordinate of `vk` is below q, every G1 point is on the curve (an ecAdd of it
    ///      with itself succeeds) and every G2 point is on the twist and in the subgroup (a pairing of it
    ///      with the G1 point at infinity succeeds).
    function _validKey(VerifyingKey memory vk) private view returns (bool ok) {
        uint256[2][7] memory g1;
        g1[0] = vk.alpha1;
        for (uint256 j; j < 6; ++j) g1[j + 1] = vk.ic[j];
        uint256[2][2][3] memory g2 = [vk.beta2, vk.gamma2, vk.delta2];
        uint256[18] memory pairs;
        for (uint256 k; k < 3; ++k) {
            // G1 words stay zero (the point at infinity); G2 words as given.
            pairs[k * 6 + 2] = g2[k][0][0];
            pairs[k * 6 + 3] = g2[k][0][1];
            pairs[k * 6 + 4] = g2[k][1][0];
            pairs[k * 6 + 5] = g2[k][1][1];
            for (uint256 w = 2; w < 6; ++w) if (pairs[k * 6 + w] >= _Q) return false;
        }
        for (uint256 j; j < 7; ++j) {
            uint256 x = g1[j][0];
            uint256 y = g1[j][1];
            if (x >= _Q || y >= _Q) return false;
            assembly ("memory-safe") {
                let p := mload(0x40)
                mstore(p, x)
                mstore(add(p, 0x20), y)
                mstore(add(p, 0x40), x)
                mstore(add(p, 0x60), y)
                ok := staticcall(gas(), _EC_ADD, p, 0x80, p, 0x40)
            }
            if (!ok) return false;
        }
        assembly ("memory-safe") {
            ok := staticcall(gas(), _PAIRING, pairs, 0x240, 0x00, 0x20)
        }
    }
}
