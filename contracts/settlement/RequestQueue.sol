// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IClusterConfig} from "../interfaces/IClusterConfig.sol";
import {ILedgerSignatureVerifier} from "../interfaces/ILedgerSignatureVerifier.sol";
import {IPoseidon4} from "../interfaces/IPoseidon4.sol";
import {IRequestQueue} from "../interfaces/IRequestQueue.sol";
import {IValidiumRegistry} from "../interfaces/IValidiumRegistry.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title RequestQueue
/// @notice Per-chain, in-order queue of requests on the settlement chain, with the Poseidon rolling hash
///         that the reference ledger circuit recomputes (docs/LEDGER.md §4), and the chain's escrow entry:
///         deposits of ETH and registered ERC-20 tokens (kind 1), forced withdrawals signed by an account owner
///         (kind 2) and forced messages (kind 3). A forced request that the chain's commitments leave
///         unconsumed past its deadline lets anyone freeze the chain (docs/PROTOCOL.md "Forced operations and
///         freeze"); its fee goes to the operator whose commitment consumed it.
/// @dev Invariants:
///      - `_length[c]` only grows, by one per queued item; `_hashes[c][n]` is written once, when item n-1 is
///        queued, and equals H_4(_hashes[c][n-1], w0, w1, w2) with `_hashes[c][0] = 0`.
///      - `_escrowed[c][t]` is the sum of the amounts credited by deposits of token t into c; there is no
///        payout path of the escrow yet.
///      - Every queued item satisfies the encoding ranges of LEDGER.md §4 (kind 1: amount < 2^128,
///        0 < keyHash < r, refund ≠ 0; kind 2: 0 < amount < 2^128, recipient ≠ 0, a verified key hash), so the
///        circuit can always consume it.
///      - `_forced[c][p].deadline ≠ 0` iff item p of c is forced; `_forcedPositions[c]` lists those p in
///        increasing order and `_forced[c][p].cumulativeFee` is the sum of the fees of c's forced items up to
///        p. `_claimed[c]` never exceeds the cumulative fee at `registry.queuePosition(c)`, so the balance of
///        this contract covers the escrow plus the fees paid minus those claimed.
///      - At most `ForcedPerBlock` forced requests per block, cluster-wide.
contract RequestQueue is IRequestQueue, AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice A forced request's stored deadline and the running sum of the chain's forced fees up to it.
    struct Forced {
        uint64 deadline;
        uint192 cumulativeFee;
    }

    /// @notice Role that registers ERC-20 tokens.
    bytes32 public constant TOKEN_ADMIN_ROLE = keccak256("TOKEN_ADMIN_ROLE");

    /// @dev Queue length per chain.
    mapping(ChainId => uint64) private _length;
    /// @dev Rolling hash per chain and position (position n: after n items).
    mapping(ChainId => mapping(uint64 => bytes32)) private _hashes;
    /// @dev Amount held per chain and token (0: ETH).
    mapping(ChainId => mapping(uint32 => uint256)) private _escrowed;
    /// @dev Registered tokens by id (from 1) and ids by token.
    mapping(uint32 => address) private _tokens;
    mapping(address => uint32) private _tokenIds;
    uint32 private _tokenCount;
    /// @dev Block of the latest forced request and the forced requests queued in it (cluster-wide).
    uint64 private _rateBlock;
    uint64 private _rateCount;
    /// @dev Forced requests per chain and position, and their positions in order.
    mapping(ChainId => mapping(uint64 => Forced)) private _forced;
    mapping(ChainId => uint64[]) private _forcedPositions;
    /// @dev Forced fees claimed per chain (a prefix of the cumulative fees).
    mapping(ChainId => uint256) private _claimed;
    /// @dev Signed forced withdrawals already queued.
    mapping(bytes32 => bool) private _usedSignatures;

    IValidiumRegistry private immutable _registry;
    IPoseidon4 private immutable _poseidon;
    ILedgerSignatureVerifier private immutable _signatureVerifier;
    /// @dev The cluster configuration, whose guardian pause stops new requests and whose parameters set the
    ///      forced fee, deadline and rate limit.
    IClusterConfig private immutable _config;

    uint256 private constant _FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant _KIND_DEPOSIT = 1;
    uint8 private constant _KIND_FORCED_WITHDRAWAL = 2;
    uint8 private constant _KIND_FORCED_MESSAGE = 3;
    uint32 private constant _TOKEN_ETH = 0;

    /// @param registry_ The registry whose chains this queue serves.
    /// @param poseidon_ The circomlibjs-generated Poseidon contract with four inputs.
    /// @param signatureVerifier_ The verifier of owners' forced-withdrawal signatures.
    /// @param admin The holder of the admin and token admin roles.
    constructor(
        IValidiumRegistry registry_,
        IPoseidon4 poseidon_,
        ILedgerSignatureVerifier signatureVerifier_,
        address admin
    ) {
        if (address(registry_) == address(0) || address(poseidon_) == address(0)) revert RequestQueueZeroAddress();
        if (address(signatureVerifier_) == address(0) || admin == address(0)) revert RequestQueueZeroAddress();
        _registry = registry_;
        _poseidon = poseidon_;
        _signatureVerifier = signatureVerifier_;
        _config = registry_.clusterConfig();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(TOKEN_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IRequestQueue
    function registerToken(address token) external onlyRole(TOKEN_ADMIN_ROLE) returns (uint32 tokenId) {
        if (token == address(0)) revert RequestQueueZeroToken();
        uint32 existing = _tokenIds[token];
        if (existing != 0) revert RequestQueueTokenAlreadyRegistered(token, existing);
        tokenId = _tokenCount + 1;
        _tokenCount = tokenId;
        _tokens[tokenId] = token;
        _tokenIds[token] = tokenId;
        emit TokenRegistered(tokenId, token);
    }

    /// @inheritdoc IRequestQueue
    function depositEth(
        ChainId chainId,
        uint32 accountIndex,
        uint256 keyHash,
        address refund
    ) external payable returns (uint64 position) {
        _config.requireNotPaused();
        _requireActive(chainId);
        uint256 amount = msg.value;
        if (amount == 0 || amount >> 128 != 0) revert RequestQueueInvalidAmount(amount);
        _checkRecipient(keyHash, refund);
        _escrowed[chainId][_TOKEN_ETH] += amount;
        position = _append(chainId, _depositW0(_TOKEN_ETH, accountIndex, amount), keyHash, uint256(uint160(refund)));
    }

    /// @inheritdoc IRequestQueue
    /// @dev nonReentrant: a token calling back into a deposit between the balance reads would be credited twice.
    function depositErc20(
        ChainId chainId,
        uint32 tokenId,
        uint32 accountIndex,
        uint256 keyHash,
        address refund,
        uint256 amount
    ) external nonReentrant returns (uint64 position) {
        _config.requireNotPaused();
        _requireActive(chainId);
        IERC20 token = IERC20(_tokens[tokenId]);
        if (address(token) == address(0)) revert RequestQueueUnknownToken(tokenId);
        _checkRecipient(keyHash, refund);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received == 0 || received >> 128 != 0) revert RequestQueueInvalidAmount(received);
        _escrowed[chainId][tokenId] += received;
        position = _append(chainId, _depositW0(tokenId, accountIndex, received), keyHash, uint256(uint160(refund)));
    }

    /// @inheritdoc IRequestQueue
    function forceWithdrawal(
        ChainId chainId,
        ILedgerSignatureVerifier.ForcedWithdrawal calldata w
    ) external payable returns (uint64 position) {
        _checkForced(chainId);
        uint256 amount = w.amount;
        if (amount == 0 || amount >> 128 != 0) revert RequestQueueInvalidAmount(amount);
        if (w.recipient == address(0)) revert RequestQueueZeroRecipient();
        if (w.tokenId != _TOKEN_ETH && _tokens[w.tokenId] == address(0)) revert RequestQueueUnknownToken(w.tokenId);
        uint256 keyHash = _signatureVerifier.verifyForcedWithdrawal(chainId, w);
        bytes32 id = keccak256(abi.encode(chainId, w.slot, w.tokenId, amount, w.recipient, w.salt, w.ax, w.ay));
        if (_usedSignatures[id]) revert RequestQueueSignatureUsed(id);
        _usedSignatures[id] = true;
        uint256 w0 =
            uint256(_KIND_FORCED_WITHDRAWAL) | (uint256(w.tokenId) << 8) | (uint256(w.slot) << 40) | (amount << 72);
        position = _append(chainId, w0, keyHash, uint256(uint160(w.recipient)));
        _recordForced(chainId, position, _KIND_FORCED_WITHDRAWAL);
    }

    /// @inheritdoc IRequestQueue
    function forceMessage(ChainId chainId, bytes32 payload) external payable returns (uint64 position) {
        _checkForced(chainId);
        uint256 w1 = uint256(keccak256(abi.encode(chainId, msg.sender, payload))) % _FIELD_R;
        position = _append(chainId, _KIND_FORCED_MESSAGE, w1, uint256(uint160(msg.sender)));
        emit ForcedMessage(chainId, position, msg.sender, payload);
        _recordForced(chainId, position, _KIND_FORCED_MESSAGE);
    }

    /// @inheritdoc IRequestQueue
    function freeze(ChainId chainId, uint64 position) external {
        uint64 len = _length[chainId];
        if (position > len) revert RequestQueuePositionBeyondEnd(chainId, position, len);
        uint64 deadline = _forced[chainId][position].deadline;
        if (deadline == 0) revert RequestQueueNotForced(chainId, position);
        _requireActive(chainId);
        uint64 consumed = _registry.queuePosition(chainId);
        if (consumed >= position) revert RequestQueueForcedConsumed(chainId, position, consumed);
        uint256 restarted = uint256(_registry.operatorSince(chainId)) + _param(IClusterConfig.Param.ForcedDeadline);
        uint256 effective = restarted > deadline ? restarted : deadline;
        // solhint-disable-next-line gas-strict-inequalities
        if (block.timestamp <= effective) revert RequestQueueDeadlineNotPassed(chainId, position, effective);
        emit ChainFreezeTriggered(chainId, position, msg.sender);
        _registry.freeze(chainId);
    }

    /// @inheritdoc IRequestQueue
    function claimFees(ChainId chainId, address to) external nonReentrant returns (uint256 amount) {
        if (_registry.securityConfig(chainId).operator != msg.sender) {
            revert RequestQueueNotOperator(chainId, msg.sender);
        }
        if (to == address(0)) revert RequestQueueZeroFeeRecipient();
        uint64 upTo = _registry.queuePosition(chainId);
        uint256 cumulative = _cumulativeFeeUpTo(chainId, upTo);
        uint256 claimed = _claimed[chainId];
        if (cumulative <= claimed) return 0;
        amount = cumulative - claimed;
        _claimed[chainId] = cumulative;
        emit FeesClaimed(chainId, to, upTo, amount);
        // slither-disable-next-line arbitrary-send-eth (to is chosen by the chain's operator, paid its own fees)
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert RequestQueueFeeTransferFailed(to, amount);
    }

    /// @inheritdoc IRequestQueue
    function length(ChainId chainId) external view returns (uint64) {
        return _length[chainId];
    }

    /// @inheritdoc IRequestQueue
    function hashAt(ChainId chainId, uint64 position) external view returns (bytes32) {
        uint64 len = _length[chainId];
        if (position > len) revert RequestQueuePositionBeyondEnd(chainId, position, len);
        return _hashes[chainId][position];
    }

    /// @inheritdoc IRequestQueue
    function isQueuePoint(ChainId chainId, uint64 position, bytes32 rollingHash) external view returns (bool) {
        // One storage read: a position beyond the end holds 0, and a rolling hash of a non-empty prefix is a
        // Poseidon output, which is 0 with probability 2^-254 (and then this returns false: safe).
        return _hashes[chainId][position] == rollingHash && (rollingHash != bytes32(0) || position == 0);
    }

    /// @inheritdoc IRequestQueue
    /// @dev The loop is `isQueuePoint` per entry, in assembly: a batch verifier calls this for every update of
    ///      a batch, and the compiler's element accessors cost several times the loop's work besides the
    ///      storage read. A chain id or position above 2^64 - 1 reverts without data, as the compiler's own
    ///      reads of such a value do.
    function areQueuePoints(
        ChainId[] calldata chainIds,
        uint64[] calldata positions,
        bytes32[] calldata rollingHashes
    ) external view returns (bool ok) {
        uint256 n = chainIds.length;
        if (positions.length != n || rollingHashes.length != n) {
            revert RequestQueueLengthMismatch(n, positions.length, rollingHashes.length);
        }
        ok = true;
        assembly ("memory-safe") {
            // `_hashes[c][p]` is at keccak256(p, keccak256(c, _hashes.slot)); the chain's part is kept while
            // consecutive entries share a chain (scratch word 1 holds it). No chain id is 2^256 - 1.
            let chainId := not(0)
            let end := shl(5, n)
            for {
                let i := 0
            } lt(i, end) {
                i := add(i, 0x20)
            } {
                let c := calldataload(add(chainIds.offset, i))
                let position := calldataload(add(positions.offset, i))
                if shr(64, or(c, position)) {
                    revert(0, 0)
                }
                if iszero(eq(c, chainId)) {
                    chainId := c
                    mstore(0x00, c)
                    mstore(0x20, _hashes.slot)
                    mstore(0x20, keccak256(0x00, 0x40))
                }
                mstore(0x00, position)
                let rollingHash := calldataload(add(rollingHashes.offset, i))
                // As `isQueuePoint`: the stored hash, and not 0 unless the position is.
                if iszero(
                    and(
                        eq(sload(keccak256(0x00, 0x40)), rollingHash),
                        or(iszero(iszero(rollingHash)), iszero(position))
                    )
                ) {
                    ok := 0
                    break
                }
            }
        }
    }

    /// @inheritdoc IRequestQueue
    function escrowed(ChainId chainId, uint32 tokenId) external view returns (uint256) {
        return _escrowed[chainId][tokenId];
    }

    /// @inheritdoc IRequestQueue
    function tokenAddress(uint32 tokenId) external view returns (address) {
        return _tokens[tokenId];
    }

    /// @inheritdoc IRequestQueue
    function tokenIdOf(address token) external view returns (uint32) {
        return _tokenIds[token];
    }

    /// @inheritdoc IRequestQueue
    function tokenCount() external view returns (uint32) {
        return _tokenCount;
    }

    /// @inheritdoc IRequestQueue
    function forcedDeadline(ChainId chainId, uint64 position) external view returns (uint64) {
        return _forced[chainId][position].deadline;
    }

    /// @inheritdoc IRequestQueue
    function forcedFees(ChainId chainId) external view returns (uint256 paid, uint256 claimed) {
        uint64[] storage positions = _forcedPositions[chainId];
        uint256 n = positions.length;
        paid = n == 0 ? 0 : _forced[chainId][positions[n - 1]].cumulativeFee;
        claimed = _claimed[chainId];
    }

    /// @inheritdoc IRequestQueue
    function claimableFees(ChainId chainId) external view returns (uint256) {
        uint256 cumulative = _cumulativeFeeUpTo(chainId, _registry.queuePosition(chainId));
        uint256 claimed = _claimed[chainId];
        return cumulative > claimed ? cumulative - claimed : 0;
    }

    /// @inheritdoc IRequestQueue
    function forcedInBlock() external view returns (uint256) {
        return _rateBlock == block.number ? _rateCount : 0;
    }

    /// @inheritdoc IRequestQueue
    function signatureVerifier() external view returns (address) {
        return address(_signatureVerifier);
    }

    /// @inheritdoc IRequestQueue
    function poseidon() external view returns (address) {
        return address(_poseidon);
    }

    /// @inheritdoc IRequestQueue
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @dev Appends (w0, w1, w2) to `chainId`'s queue and returns the new length.
    function _append(ChainId chainId, uint256 w0, uint256 w1, uint256 w2) private returns (uint64 position) {
        uint64 len = _length[chainId];
        bytes32 prev = _hashes[chainId][len];
        bytes32 next = bytes32(_poseidon.poseidon([uint256(prev), w0, w1, w2]));
        unchecked {
            position = len + 1;
        }
        _length[chainId] = position;
        _hashes[chainId][position] = next;
        emit RequestQueued(chainId, position, w0, w1, w2, next);
    }

    /// @dev Reverts unless `chainId` is Active in the registry.
    function _requireActive(ChainId chainId) private view {
        IValidiumRegistry.ChainStatus status = _registry.chainStatus(chainId);
        if (status != IValidiumRegistry.ChainStatus.Active) revert RequestQueueChainNotActive(chainId, status);
    }

    /// @dev A deposit's recipient key hash (0 < keyHash < r) and refund address (non-zero).
    function _checkRecipient(uint256 keyHash, address refund) private pure {
        if (keyHash == 0 || keyHash >= _FIELD_R) revert RequestQueueInvalidKeyHash(keyHash);
        if (refund == address(0)) revert RequestQueueZeroRefund();
    }

    /// @dev `w0` of a deposit (kind 1).
    function _depositW0(uint32 tokenId, uint32 accountIndex, uint256 amount) private pure returns (uint256) {
        return _KIND_DEPOSIT | (uint256(tokenId) << 8) | (uint256(accountIndex) << 40) | (amount << 72);
    }

    /// @dev The checks common to forced requests: not paused, Active chain, exact fee, the per-block limit
    ///      (counted here).
    function _checkForced(ChainId chainId) private {
        _config.requireNotPaused();
        _requireActive(chainId);
        uint256 fee = _param(IClusterConfig.Param.ForcedFee);
        if (msg.value != fee) revert RequestQueueWrongFee(msg.value, fee);
        uint256 limit = _param(IClusterConfig.Param.ForcedPerBlock);
        uint64 blockNumber = uint64(block.number);
        uint64 count = _rateBlock == blockNumber ? _rateCount : 0;
        if (count >= limit) revert RequestQueueRateLimited(block.number, limit);
        _rateBlock = blockNumber;
        unchecked {
            _rateCount = count + 1;
        }
    }

    /// @dev Stores the forced item at `position`: its deadline (now + ForcedDeadline, capped at 2^64 - 1) and
    ///      the chain's cumulative fee with `msg.value` (the fee, checked by `_checkForced`).
    function _recordForced(ChainId chainId, uint64 position, uint8 kind) private {
        uint256 deadline = block.timestamp + _param(IClusterConfig.Param.ForcedDeadline);
        if (deadline > type(uint64).max) deadline = type(uint64).max;
        uint64[] storage positions = _forcedPositions[chainId];
        uint256 n = positions.length;
        uint256 cumulative = (n == 0 ? 0 : _forced[chainId][positions[n - 1]].cumulativeFee) + msg.value;
        _forced[chainId][position] = Forced({
            deadline: uint64(deadline),
            cumulativeFee: SafeCast.toUint192(cumulative)
        });
        positions.push(position);
        emit ForcedRequestQueued(chainId, position, kind, uint64(deadline), msg.value);
    }

    /// @dev The chain's cumulative forced fee over items at positions ≤ `upTo` (binary search).
    function _cumulativeFeeUpTo(ChainId chainId, uint64 upTo) private view returns (uint256) {
        uint64[] storage positions = _forcedPositions[chainId];
        uint256 lo = 0;
        uint256 hi = positions.length;
        // Invariant: positions[i] ≤ upTo for i < lo, > upTo for i ≥ hi.
        while (lo < hi) {
            uint256 mid = (lo + hi) >> 1;
            // solhint-disable-next-line gas-strict-inequalities
            if (positions[mid] <= upTo) lo = mid + 1;
            else hi = mid;
        }
        return lo == 0 ? 0 : _forced[chainId][positions[lo - 1]].cumulativeFee;
    }

    function _param(IClusterConfig.Param p) private view returns (uint256) {
        return _config.param(uint256(p));
    }
}
