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
///      - `verify` and `verifyBatch` accept an update only as `Groth16UpdateVerifier` would: the same
///        signals (`LedgerPublicSignals.derive`), the same queue check (answered here for position 0,
///        where every queue's hash is 0), the same proof bytes.
///
///      Memory layout of one check (n proofs), from a fresh allocation `buf`:
///        buf                      n proofs, 8 words each, proof layout [A, B, C]
///        buf + 256n               n signal sets, 5 words each
///        buf + 416n               n + 3 pairing pairs of 6 words [G1 x, y, G2 x1, x0, y1, y0]:
///                                 pair i (< n) = (r_i·A_i, B_i); pair n = (-s·α, β) with s = Σ r_i;
///                                 pair n+1 = (-Σ r_i·L_i, γ); pair n+2 = (-Σ r_i·C_i, δ)
///        buf + 416n + 192(n + 3)  6 words of scalars: s, then t_j = Σ_i r_i·x_ij mod r for j = 1..5
///      A pair's G2 words double as the scratch input of the precompile calls that build its G1 point.
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

    /// @dev Bytes per proof (8 words), per signal set (5 words), per proof and its signals, per pairing pair.
    uint256 private constant _PROOF_BYTES = 256;
    uint256 private constant _SIGNALS_BYTES = 160;
    uint256 private constant _INPUT_BYTES = 416;
    uint256 private constant _PAIR_BYTES = 192;
    /// @dev Bytes after the pairs: the six scalars.
    uint256 private constant _SCALAR_BYTES = 192;

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
        ok = _check(buf, n, true);
    }

    /// @inheritdoc IBatchGroth16Verifier
    function verifyBatch(UpdatePublicData[] calldata data, bytes[] calldata proofs) external view returns (bool ok) {
        uint256 n = proofs.length;
        _checkCount(n, data.length);
        uint256 buf = _allocate(n);
        for (uint256 i; i < n; ++i) {
            _loadUpdate(buf, n, i, data[i], proofs[i]);
        }
        // LedgerPublicSignals.derive only returns field elements: no signal range check needed.
        ok = _check(buf, n, false);
    }

    /// @inheritdoc IUpdateVerifier
    /// @dev A batch of one: the same checks, errors and result as `verifyBatch([data], [proof])`.
    function verify(UpdatePublicData calldata data, bytes calldata proof) external view returns (bool ok) {
        uint256 buf = _allocate(1);
        _loadUpdate(buf, 1, 0, data, proof);
        ok = _check(buf, 1, false);
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

    /// @dev Checks update i the way Groth16UpdateVerifier does (proof length, signals, queue point) and
    ///      writes its proof and signals into slot i of the batch at `buf`.
    function _loadUpdate(
        uint256 buf,
        uint256 n,
        uint256 i,
        UpdatePublicData calldata data,
        bytes calldata proof
    ) private view {
        if (proof.length != _PROOF_BYTES) revert BatchGroth16VerifierBadProofLength(i, proof.length);
        uint256[5] memory signals = LedgerPublicSignals.derive(data);
        if (!_isQueuePoint(data.chainId, data.queuePosition, data.queueHash)) {
            revert BatchGroth16VerifierQueueMismatch(i, data.queuePosition, data.queueHash);
        }
        assembly ("memory-safe") {
            calldatacopy(add(buf, mul(i, _PROOF_BYTES)), proof.offset, _PROOF_BYTES)
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
        bool bad;
        assembly ("memory-safe") {
            let end := add(buf, mul(n, _PROOF_BYTES))
            for {
                let p := buf
            } lt(p, end) {
                p := add(p, _PROOF_BYTES)
            } {
                // gt(v, q - 1) is v ≥ q.
                bad := or(bad, gt(mload(p), sub(_Q, 1)))
                bad := or(bad, gt(mload(add(p, 0x20)), sub(_Q, 1)))
                bad := or(bad, gt(mload(add(p, 0x40)), sub(_Q, 1)))
                bad := or(bad, gt(mload(add(p, 0x60)), sub(_Q, 1)))
                bad := or(bad, gt(mload(add(p, 0x80)), sub(_Q, 1)))
                bad := or(bad, gt(mload(add(p, 0xa0)), sub(_Q, 1)))
                bad := or(bad, gt(mload(add(p, 0xc0)), sub(_Q, 1)))
                bad := or(bad, gt(mload(add(p, 0xe0)), sub(_Q, 1)))
            }
            if signalsToo {
                let signalsEnd := add(end, mul(n, _SIGNALS_BYTES))
                for {
                    let p := end
                } lt(p, signalsEnd) {
                    p := add(p, _SIGNALS_BYTES)
                } {
                    bad := or(bad, gt(mload(p), sub(_R, 1)))
                    bad := or(bad, gt(mload(add(p, 0x20)), sub(_R, 1)))
                    bad := or(bad, gt(mload(add(p, 0x40)), sub(_R, 1)))
                    bad := or(bad, gt(mload(add(p, 0x60)), sub(_R, 1)))
                    bad := or(bad, gt(mload(add(p, 0x80)), sub(_R, 1)))
                }
            }
        }
        if (bad) _revertOutOfRange(buf, n);
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

    /// @dev The batch check of the n proofs and signals at `buf`: range checks (reverting), then
    ///      Π e(r_i·A_i, B_i) · e(-s·α, β) · e(-Σ r_i·L_i, γ) · e(-Σ r_i·C_i, δ) = 1. False when the pairing
    ///      product is not 1 or a precompile call fails (a point off its curve or outside the subgroup).
    function _check(uint256 buf, uint256 n, bool signalsToo) private view returns (bool ok) {
        _checkRanges(buf, n, signalsToo);
        uint256 pairs = buf + n * _INPUT_BYTES;
        uint256 scalars = pairs + (n + 3) * _PAIR_BYTES;
        if (!_accumulate(buf, n, pairs, scalars)) return false;

        uint256 s;
        uint256[5] memory t;
        assembly ("memory-safe") {
            s := mload(scalars)
            mcopy(t, add(scalars, 0x20), 0xa0)
        }

        // Pair n: (-s·α, β).
        uint256 pair = pairs + n * _PAIR_BYTES;
        if (!_mulNeg(pair, _ALPHA_X, _ALPHA_Y, s)) return false;
        _storeG2(pair + 0x40, _BETA_X1, _BETA_X0, _BETA_Y1, _BETA_Y0);

        // Pair n + 1: (-(s·IC_0 + Σ_j t_j·IC_j), γ): six scalar multiplications for the whole batch.
        pair += _PAIR_BYTES;
        if (
            !_mulNeg(pair, _IC0_X, _IC0_Y, s) ||
            !_mulNegAdd(pair, _IC1_X, _IC1_Y, t[0]) ||
            !_mulNegAdd(pair, _IC2_X, _IC2_Y, t[1]) ||
            !_mulNegAdd(pair, _IC3_X, _IC3_Y, t[2]) ||
            !_mulNegAdd(pair, _IC4_X, _IC4_Y, t[3]) ||
            !_mulNegAdd(pair, _IC5_X, _IC5_Y, t[4])
        ) return false;
        _storeG2(pair + 0x40, _GAMMA_X1, _GAMMA_X0, _GAMMA_Y1, _GAMMA_Y0);

        // Pair n + 2: (-Σ r_i·C_i, δ); `_accumulate` left Σ r_i·C_i in its G1 words.
        pair += _PAIR_BYTES;
        assembly ("memory-safe") {
            let y := mload(add(pair, 0x20))
            mstore(add(pair, 0x20), mod(sub(_Q, y), _Q))
        }
        _storeG2(pair + 0x40, _DELTA_X1, _DELTA_X0, _DELTA_Y1, _DELTA_Y0);

        assembly ("memory-safe") {
            let success := staticcall(gas(), _PAIRING, pairs, mul(add(n, 3), _PAIR_BYTES), 0x00, 0x20)
            ok := and(success, eq(mload(0x00), 1))
        }
    }

    /// @dev Starts the accumulation with proof 0, whose scalar is r_0 = 1: pair 0 is (A_0, B_0) as given,
    ///      the C sum starts at C_0, and the scalars at s = 1, t_j = x_0j. Returns the seed of the r_i,
    ///      which commits to every proof and every signal: nothing can be chosen after the r_i.
    function _start(uint256 buf, uint256 n, uint256 pairs, uint256 scalars) private pure returns (bytes32 seed) {
        assembly ("memory-safe") {
            seed := keccak256(buf, mul(n, _INPUT_BYTES))
            mcopy(pairs, buf, _PAIR_BYTES)
            mcopy(add(pairs, mul(add(n, 2), _PAIR_BYTES)), add(buf, 0xc0), 0x40)
            mstore(scalars, 1)
            mcopy(add(scalars, 0x20), add(buf, mul(n, _PROOF_BYTES)), _SIGNALS_BYTES)
        }
    }

    /// @dev Adds proofs 1..n-1 to what `_start` began: fills pairs 1..n-1, the G1 point of pair n + 2
    ///      (Σ r_i·C_i) and the six scalars (layout: see the contract's notes). False as soon as a
    ///      precompile call fails: a failing precompile consumes all the gas it was given, so nothing more
    ///      is attempted.
    function _accumulate(uint256 buf, uint256 n, uint256 pairs, uint256 scalars) private view returns (bool ok) {
        bytes32 seed = _start(buf, n, pairs, scalars);
        assembly ("memory-safe") {
            function accumulate(buf_, n_, pairs_, scalars_, seed_) -> done {
                let signals := add(buf_, mul(n_, _PROOF_BYTES))
                let cAcc := add(pairs_, mul(add(n_, 2), _PAIR_BYTES))
                // The seed stays in scratch word 0; r_i hashes it with i in word 1.
                mstore(0x00, seed_)
                for {
                    let i := 1
                } lt(i, n_) {
                    i := add(i, 1)
                } {
                    // r_i = 1 + (keccak256(seed, i) mod (r - 1)), in [1, r - 1].
                    mstore(0x20, i)
                    let ri := add(mod(keccak256(0x00, 0x40), sub(_R, 1)), 1)

                    // Pair i = (r_i·A_i, B_i): copy (A_i, B_i), then multiply A_i in place, parking B's
                    // first word while the scalar takes its place.
                    let proof := add(buf_, mul(i, _PROOF_BYTES))
                    let pair := add(pairs_, mul(i, _PAIR_BYTES))
                    mcopy(pair, proof, _PAIR_BYTES)
                    let bx1 := mload(add(pair, 0x40))
                    mstore(add(pair, 0x40), ri)
                    if iszero(staticcall(gas(), _EC_MUL, pair, 0x60, pair, 0x40)) {
                        leave
                    }
                    mstore(add(pair, 0x40), bx1)

                    // C sum += r_i·C_i, with the words after the sum (δ's, written last) as scratch.
                    mcopy(add(cAcc, 0x40), add(proof, 0xc0), 0x40)
                    mstore(add(cAcc, 0x80), ri)
                    if iszero(staticcall(gas(), _EC_MUL, add(cAcc, 0x40), 0x60, add(cAcc, 0x40), 0x40)) {
                        leave
                    }
                    if iszero(staticcall(gas(), _EC_ADD, cAcc, 0x80, cAcc, 0x40)) {
                        leave
                    }

                    // s += r_i; t_j += r_i·x_ij (mod r).
                    mstore(scalars_, addmod(mload(scalars_), ri, _R))
                    let x := add(signals, mul(i, _SIGNALS_BYTES))
                    let t := add(scalars_, 0x20)
                    mstore(t, addmod(mload(t), mulmod(ri, mload(x), _R), _R))
                    t := add(t, 0x20)
                    mstore(t, addmod(mload(t), mulmod(ri, mload(add(x, 0x20)), _R), _R))
                    t := add(t, 0x20)
                    mstore(t, addmod(mload(t), mulmod(ri, mload(add(x, 0x40)), _R), _R))
                    t := add(t, 0x20)
                    mstore(t, addmod(mload(t), mulmod(ri, mload(add(x, 0x60)), _R), _R))
                    t := add(t, 0x20)
                    mstore(t, addmod(mload(t), mulmod(ri, mload(add(x, 0x80)), _R), _R))
                }
                done := 1
            }
            ok := accumulate(buf, n, pairs, scalars, seed)
        }
    }

    /*//////////////////////////////////////////////////////////////
                            CURVE HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Writes -k·(x, y) at `dst` (k < r). k = 1 (a batch of one) is a negation, not a precompile call.
    function _mulNeg(uint256 dst, uint256 x, uint256 y, uint256 k) private view returns (bool ok) {
        assembly ("memory-safe") {
            switch k
            case 1 {
                mstore(dst, x)
                mstore(add(dst, 0x20), mod(sub(_Q, y), _Q))
                ok := 1
            }
            default {
                // (r - k)·P = -k·P; r·P is the point at infinity, as 0·P would be.
                mstore(dst, x)
                mstore(add(dst, 0x20), y)
                mstore(add(dst, 0x40), sub(_R, k))
                ok := staticcall(gas(), _EC_MUL, dst, 0x60, dst, 0x40)
            }
        }
    }

    /// @dev Adds -k·(x, y) to the point at `acc` (k < r), using the four words after it as scratch.
    ///      Nothing to add when k = 0 (every signal j of the batch is zero).
    function _mulNegAdd(uint256 acc, uint256 x, uint256 y, uint256 k) private view returns (bool ok) {
        if (k == 0) return true;
        if (!_mulNeg(acc + 0x40, x, y, k)) return false;
        assembly ("memory-safe") {
            ok := staticcall(gas(), _EC_ADD, acc, 0x80, acc, 0x40)
        }
    }

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
