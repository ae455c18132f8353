// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IClusterConfig} from "../interfaces/IClusterConfig.sol";
import {IEscapeVerifier} from "../interfaces/IEscapeVerifier.sol";
import {ILedgerSignatureVerifier} from "../interfaces/ILedgerSignatureVerifier.sol";
import {IPoseidon2} from "../interfaces/IPoseidon2.sol";
import {IPoseidon3} from "../interfaces/IPoseidon3.sol";
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
///         freeze"); its fee goes to the operator whose commitment consumed it. The escrow pays out through
///         withdrawal claims against final commitments, escapes from frozen chains and reclaims of deposits a
///         frozen chain never consumed (docs/PROTOCOL.md "Payouts: withdrawal claims, escape, deposit reclaim").
/// @dev Invariants:
///      - `_length[c]` only grows, by one per queued item; `_hashes[c][n]` is written once, when item n-1 is
///        queued, and equals H_4(_hashes[c][n-1], w0, w1, w2) with `_hashes[c][0] = 0`.
///      - `_escrowed[c][t]` is the sum of the amounts credited by deposits of token t into c minus the amounts
///        paid out of c in t (claims, escapes, reclaims); every payout is capped by it, so a chain never pays
///        more than was deposited into it, whatever its proofs say. Each withdrawal entry (c, index, k), each
///        escaping account (c, accountId) and each reclaimed deposit (c, position) is paid at most once.
///      - Every queued item satisfies the encoding ranges of LEDGER.md §4 (kind 1: amount < 2^128,
///        0 < keyHash < r, refund ≠ 0; kind 2: 0 < amount < 2^128, recipient ≠ 0, a verified key hash), so the
///        circuit can always consume it.
///      - `_forced[c][p].deadline ≠ 0` iff item p of c is forced; `_forcedPositions[c]` lists those p in
///        increasing order and `_forced[c][p].cumulativeFee` is the sum of the fees of c's forced items up to
///        p. `_claimed[c]` never exceeds the cumulative fee at the finalized commitment's queue position (which
///        never decreases: elections and freezes only discard pending commitments), so the balance of this
///        contract covers the escrow plus the fees paid minus those claimed.
///      - `_hatchUsed[c]` is set by the first escape or reclaim of c and never cleared (the registry then refuses
///        to make c Active again).
///      - At most `ForcedPerBlock` forced requests per block, cluster-wide.
// solhint-disable-next-line max-states-count
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
    /// @dev Claimed withdrawal entries: chain, commitment index, word k / 256 → bitmap of k mod 256.
    mapping(ChainId => mapping(uint32 => mapping(uint256 => uint256))) private _claimedEntries;
    /// @dev Accounts of a frozen chain already paid by an escape.
    mapping(ChainId => mapping(uint256 => bool)) private _escaped;
    /// @dev Deposits already paid back by `reclaimDeposit`, by chain and position.
    mapping(ChainId => mapping(uint64 => bool)) private _reclaimed;
    /// @dev Chains whose escape hatch has paid (an escape or a reclaimed deposit): never revived.
    mapping(ChainId => bool) private _hatchUsed;

    IValidiumRegistry private immutable _registry;
    IPoseidon4 private immutable _poseidon;
    IPoseidon2 private immutable _poseidon2;
    IPoseidon3 private immutable _poseidon3;
    ILedgerSignatureVerifier private immutable _signatureVerifier;
    /// @dev The cluster configuration, whose guardian pause stops new requests and whose parameters set the
    ///      forced fee, deadline and rate limit.
    IClusterConfig private immutable _config;

    uint256 private constant _FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant _KIND_DEPOSIT = 1;
    uint8 private constant _KIND_FORCED_WITHDRAWAL = 2;
    uint8 private constant _KIND_FORCED_MESSAGE = 3;
    uint32 private constant _TOKEN_ETH = 0;
    /// @dev Most levels of a withdrawal tree (K ≤ 2^32 slots).
    uint256 private constant _MAX_WITHDRAWAL_DEPTH = 32;

    /// @param registry_ The registry whose chains this queue serves.
    /// @param poseidon_ The circomlibjs-generated Poseidon contract with four inputs.
    /// @param poseidon2_ The circomlibjs-generated Poseidon contract with two inputs (withdrawal tree nodes).
    /// @param poseidon3_ The circomlibjs-generated Poseidon contract with three inputs (withdrawal entries).
    /// @param signatureVerifier_ The verifier of owners' forced-withdrawal signatures.
    /// @param admin The holder of the admin and token admin roles.
    constructor(
        IValidiumRegistry registry_,
        IPoseidon4 poseidon_,
        IPoseidon2 poseidon2_,
        IPoseidon3 poseidon3_,
        ILedgerSignatureVerifier signatureVerifier_,
        address admin
    ) {
        if (address(registry_) == address(0) || address(poseidon_) == address(0)) revert RequestQueueZeroAddress();
        if (address(poseidon2_) == address(0) || address(poseidon3_) == address(0)) revert RequestQueueZeroAddress();
        if (address(signatureVerifier_) == address(0) || admin == address(0)) revert RequestQueueZeroAddress();
        _registry = registry_;
        _poseidon = poseidon_;
        _poseidon2 = poseidon2_;
        _poseidon3 = poseidon3_;
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
        uint64 upTo = _finalizedPosition(chainId);
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
    /// @dev Checks, then the claimed bit and the escrow, then the transfer (CEI); nonReentrant besides.
    function claimWithdrawal(
        ChainId chainId,
        uint32 index,
        uint32 k,
        address recipient,
        uint32 tokenId,
        uint256 amount,
        uint256[] calldata siblings
    ) external nonReentrant {
        (uint32 finalized, ) = _registry.finalizedCommitment(chainId);
        if (index > finalized) revert RequestQueueCommitmentNotFinal(chainId, index, finalized);
        bytes32 root = _registry.withdrawalRoot(chainId, index);
        if (root == bytes32(0)) revert RequestQueueNoWithdrawalRoot(chainId, index);
        if (recipient == address(0)) revert RequestQueueZeroRecipient();
        if (amount >= _FIELD_R) revert RequestQueueInvalidAmount(amount);
        bytes32 computed = _withdrawalPathRoot(recipient, tokenId, amount, k, siblings);
        if (computed != root) revert RequestQueueInvalidWithdrawalProof(chainId, index, root, computed);
        _markClaimed(chainId, index, k);
        _debit(chainId, tokenId, amount);
        emit WithdrawalClaimed(chainId, index, k, recipient, tokenId, amount);
        _pay(tokenId, recipient, amount);
    }

    /// @inheritdoc IRequestQueue
    function escape(ChainId chainId, address recipient, bytes calldata proof) external nonReentrant {
        IValidiumRegistry.ChainStatus status = _registry.chainStatus(chainId);
        if (status != IValidiumRegistry.ChainStatus.Frozen) revert RequestQueueChainNotFrozen(chainId, status);
        if (recipient == address(0)) revert RequestQueueZeroRecipient();
        address verifier = _registry.securityConfig(chainId).escapeVerifier;
        if (verifier == address(0)) revert RequestQueueNoEscapeVerifier(chainId);
        (, IValidiumRegistry.CommitmentInfo memory info) = _registry.finalizedCommitment(chainId);
        (uint256 accountId, uint256 tokenId, uint256 amount) = IEscapeVerifier(verifier).verifyEscape(
            chainId,
            info.root,
            recipient,
            proof
        );
        if (tokenId > type(uint32).max) revert RequestQueueEscapeTokenOutOfRange(tokenId);
        if (_escaped[chainId][accountId]) revert RequestQueueAlreadyEscaped(chainId, accountId);
        _escaped[chainId][accountId] = true;
        _hatchUsed[chainId] = true;
        _debit(chainId, uint32(tokenId), amount);
        emit Escaped(chainId, accountId, recipient, uint32(tokenId), amount);
        _pay(uint32(tokenId), recipient, amount);
    }

    /// @inheritdoc IRequestQueue
    function reclaimDeposit(
        ChainId chainId,
        uint64 position,
        uint256 w0,
        uint256 w1,
        uint256 w2
    ) external nonReentrant {
        IValidiumRegistry.ChainStatus status = _registry.chainStatus(chainId);
        if (status != IValidiumRegistry.ChainStatus.Frozen) revert RequestQueueChainNotFrozen(chainId, status);
        uint64 len = _length[chainId];
        if (position > len) revert RequestQueuePositionBeyondEnd(chainId, position, len);
        if (position == 0) revert RequestQueueNotDeposit(chainId, position);
        if (w0 >= _FIELD_R || w1 >= _FIELD_R || w2 >= _FIELD_R) revert RequestQueueItemMismatch(chainId, position);
        bytes32 h = bytes32(_poseidon.poseidon([uint256(_hashes[chainId][position - 1]), w0, w1, w2]));
        if (h != _hashes[chainId][position]) revert RequestQueueItemMismatch(chainId, position);
        if (w0 & 0xff != _KIND_DEPOSIT) revert RequestQueueNotDeposit(chainId, position);
        uint64 consumed = _finalizedPosition(chainId);
        // solhint-disable-next-line gas-strict-inequalities
        if (position <= consumed) revert RequestQueueDepositConsumed(chainId, position, consumed);
        if (_reclaimed[chainId][position]) revert RequestQueueDepositReclaimed(chainId, position);
        _reclaimed[chainId][position] = true;
        _hatchUsed[chainId] = true;
        // A stored item's fields are in range (LEDGER.md §4): amount < 2^128, w2 < 2^160.
        uint32 tokenId = uint32(w0 >> 8);
        uint256 amount = w0 >> 72;
        address refund = address(uint160(w2));
        _debit(chainId, tokenId, amount);
        emit DepositReclaimed(chainId, position, refund, tokenId, amount);
        _pay(tokenId, refund, amount);
    }

    /// @inheritdoc IRequestQueue
    function isWithdrawalClaimed(ChainId chainId, uint32 index, uint32 k) external view returns (bool) {
        return (_claimedEntries[chainId][index][k >> 8] >> (k & 0xff)) & 1 == 1;
    }

    /// @inheritdoc IRequestQueue
    function hatchUsed(ChainId chainId) external view returns (bool) {
        return _hatchUsed[chainId];
    }

    /// @inheritdoc IRequestQueue
    function hasEscaped(ChainId chainId, uint256 accountId) external view returns (bool) {
        return _escaped[chainId][accountId];
    }

    /// @inheritdoc IRequestQueue
    function isDepositReclaimed(ChainId chainId, uint64 position) external view returns (bool) {
        return _reclaimed[chainId][position];
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
        uint256 cumulative = _cumulativeFeeUpTo(chainId, _finalizedPosition(chainId));
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
    function poseidon2() external view returns (address) {
        return address(_poseidon2);
    }

    /// @inheritdoc IRequestQueue
    function poseidon3() external view returns (address) {
        return address(_poseidon3);
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

    /// @dev The root of the withdrawal tree with entry `H_3(recipient, tokenId, amount)` at slot `k` and the path
    ///      `siblings` (leaf level first; bit i of k set: the node is the right child at level i).
    function _withdrawalPathRoot(
        address recipient,
        uint32 tokenId,
        uint256 amount,
        uint32 k,
        uint256[] calldata siblings
    ) private view returns (bytes32) {
        uint256 depth = siblings.length;
        if (depth > _MAX_WITHDRAWAL_DEPTH || k >> depth != 0) revert RequestQueueWithdrawalSlotOutOfRange(k, depth);
        uint256 node = _poseidon3.poseidon([uint256(uint160(recipient)), uint256(tokenId), amount]);
        for (uint256 i; i < depth; ++i) {
            node =
                (k >> i) & 1 == 0 ? _poseidon2.poseidon([node, siblings[i]]) : _poseidon2.poseidon([siblings[i], node]);
        }
        return bytes32(node);
    }

    /// @dev Sets the claimed bit of entry `k` of commitment `index`; reverts when it is already set.
    function _markClaimed(ChainId chainId, uint32 index, uint32 k) private {
        mapping(uint256 => uint256) storage words = _claimedEntries[chainId][index];
        uint256 word = k >> 8;
        uint256 bit = 1 << (k & 0xff);
        uint256 claimed = words[word];
        if (claimed & bit != 0) revert RequestQueueWithdrawalClaimed(chainId, index, k);
        words[word] = claimed | bit;
    }

    /// @dev Takes `amount` of token `tokenId` out of `chainId`'s escrow; reverts when the escrow holds less.
    function _debit(ChainId chainId, uint32 tokenId, uint256 amount) private {
        uint256 held = _escrowed[chainId][tokenId];
        if (amount > held) revert RequestQueueInsufficientEscrow(chainId, tokenId, amount, held);
        unchecked {
            _escrowed[chainId][tokenId] = held - amount;
        }
    }

    /// @dev Sends `amount` of token `tokenId` (0: ETH) to `to`, after every state change of the caller.
    function _pay(uint32 tokenId, address to, uint256 amount) private {
        if (tokenId == _TOKEN_ETH) {
            // slither-disable-next-line arbitrary-send-eth,low-level-calls (to is the proven recipient)
            (bool ok, ) = to.call{value: amount}("");
            if (!ok) revert RequestQueueTransferFailed(to, amount);
        } else {
            address token = _tokens[tokenId];
            if (token == address(0)) revert RequestQueueUnknownToken(tokenId);
            IERC20(token).safeTransfer(to, amount);
        }
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

    /// @dev The queue position consumed by the chain's finalized commitment. Fees are earned on finality, so
    ///         work in commitments an emergency election may still discard is paid nothing yet.
    function _finalizedPosition(ChainId chainId) private view returns (uint64) {
        (uint32 finalized, ) = _registry.finalizedCommitment(chainId);
        return _registry.commitmentQueuePosition(chainId, finalized);
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
