// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";
import {ILedgerSignatureVerifier} from "./ILedgerSignatureVerifier.sol";
import {IValidiumRegistry} from "./IValidiumRegistry.sol";

/// @title IRequestQueue
/// @notice The per-chain, in-order queue of requests that a chain's updates must consume: deposits of ETH and
///         registered ERC-20 tokens (kind 1), forced withdrawals signed by an account owner (kind 2) and forced
///         messages (kind 3). docs/LEDGER.md §4 defines the item encoding and the Poseidon rolling hash
///         `h_{n+1} = H_4(h_n, w0, w1, w2)`, `h_0 = 0`; docs/PROTOCOL.md "Forced operations and freeze" the
///         forced kinds' fee, deadline, rate limit and the freeze rule.
/// @dev Invariants: a chain's queue only grows; `hashAt(c, n)` never changes once position `n` exists;
///      `escrowed(c, t)` equals the amount of token t received for deposits into chain `c` minus the amounts
///      paid out of `c` in t by `claimWithdrawal`, `escape` and `reclaimDeposit` (each payout is capped by it, so
///      a chain never pays more than was deposited into it); the fees held for chain `c` are the forced fees
///      paid for it minus those claimed, and only fees of items the chain's latest commitment consumed are ever
///      claimed, each once.
interface IRequestQueue {
    /// @notice The chain is not registered in the registry, or not active (frozen or ejected): a deposit
    ///         into it could not be consumed by an update.
    error RequestQueueChainNotActive(ChainId chainId, IValidiumRegistry.ChainStatus status);
    /// @notice A constructor argument is the zero address.
    error RequestQueueZeroAddress();
    /// @notice The deposit amount is zero or does not fit in 128 bits.
    error RequestQueueInvalidAmount(uint256 amount);
    /// @notice The recipient key hash is zero or not a field element.
    error RequestQueueInvalidKeyHash(uint256 keyHash);
    /// @notice The refund address is zero.
    error RequestQueueZeroRefund();
    /// @notice `position` is beyond the end of the chain's queue.
    error RequestQueuePositionBeyondEnd(ChainId chainId, uint64 position, uint64 length);
    /// @notice The arrays of `areQueuePoints` differ in length: `chainIds`, `positions`, `rollingHashes` entries.
    error RequestQueueLengthMismatch(uint256 chainIds, uint256 positions, uint256 rollingHashes);
    /// @notice A token address of zero was given to `registerToken`.
    error RequestQueueZeroToken();
    /// @notice The token is already registered, under `tokenId`.
    error RequestQueueTokenAlreadyRegistered(address token, uint32 tokenId);
    /// @notice `tokenId` is not a registered ERC-20 token (0, ETH, is not an ERC-20 either).
    error RequestQueueUnknownToken(uint32 tokenId);
    /// @notice The forced request carried `sent` wei, not exactly the `ForcedFee` parameter `required`.
    error RequestQueueWrongFee(uint256 sent, uint256 required);
    /// @notice `limit` forced requests (the `ForcedPerBlock` parameter) were already queued in block `blockNumber`.
    error RequestQueueRateLimited(uint256 blockNumber, uint256 limit);
    /// @notice The forced withdrawal's recipient is the zero address.
    error RequestQueueZeroRecipient();
    /// @notice This signed forced withdrawal (same chain, fields and key) was already queued.
    error RequestQueueSignatureUsed(bytes32 id);
    /// @notice Item `position` of `chainId`'s queue is not a forced request (a deposit, or no item).
    error RequestQueueNotForced(ChainId chainId, uint64 position);
    /// @notice The forced request at `position` was consumed: the latest commitment's queue position is
    ///         `consumed` ≥ `position`.
    error RequestQueueForcedConsumed(ChainId chainId, uint64 position, uint64 consumed);
    /// @notice The forced request's effective deadline `deadline` has not passed.
    error RequestQueueDeadlineNotPassed(ChainId chainId, uint64 position, uint256 deadline);
    /// @notice `caller` is not the chain's current operator.
    error RequestQueueNotOperator(ChainId chainId, address caller);
    /// @notice The fee recipient is the zero address.
    error RequestQueueZeroFeeRecipient();
    /// @notice Sending the claimed fees failed.
    error RequestQueueFeeTransferFailed(address to, uint256 amount);
    /// @notice Commitment `index` of `chainId` is not final yet: the newest final commitment is `finalized`.
    error RequestQueueCommitmentNotFinal(ChainId chainId, uint32 index, uint32 finalized);
    /// @notice Commitment `index` of `chainId` committed no withdrawal root (zero): it has nothing to claim.
    error RequestQueueNoWithdrawalRoot(ChainId chainId, uint32 index);
    /// @notice Withdrawal slot `k` does not fit in a tree of `depth` levels (`k ≥ 2^depth`), or `depth > 32`.
    error RequestQueueWithdrawalSlotOutOfRange(uint32 k, uint256 depth);
    /// @notice The entry and its siblings hash to `computed`, not to the commitment's withdrawal root `root`.
    error RequestQueueInvalidWithdrawalProof(ChainId chainId, uint32 index, bytes32 root, bytes32 computed);
    /// @notice Withdrawal entry `k` of commitment `index` of `chainId` was already paid.
    error RequestQueueWithdrawalClaimed(ChainId chainId, uint32 index, uint32 k);
    /// @notice The payout of `amount` of token `tokenId` exceeds what `chainId` holds in escrow (`escrowed`).
    error RequestQueueInsufficientEscrow(ChainId chainId, uint32 tokenId, uint256 amount, uint256 escrowed);
    /// @notice Sending a payout (ETH) to `to` failed.
    error RequestQueueTransferFailed(address to, uint256 amount);
    /// @notice Escapes and deposit reclaims need a Frozen chain; `chainId` is `status`.
    error RequestQueueChainNotFrozen(ChainId chainId, IValidiumRegistry.ChainStatus status);
    /// @notice The frozen chain registered no escape verifier.
    error RequestQueueNoEscapeVerifier(ChainId chainId);
    /// @notice Account `accountId` of `chainId` has already escaped.
    error RequestQueueAlreadyEscaped(ChainId chainId, uint256 accountId);
    /// @notice The escape verifier returned a token id above 2^32 - 1.
    error RequestQueueEscapeTokenOutOfRange(uint256 tokenId);
    /// @notice The item at `position` of `chainId`'s queue is not a deposit (kind 1), or `position` is 0.
    error RequestQueueNotDeposit(ChainId chainId, uint64 position);
    /// @notice The given `(w0, w1, w2)` is not the item at `position`: `H_4(hashAt(position - 1), w0, w1, w2)`
    ///         differs from `hashAt(position)`, or a word is not below the field order.
    error RequestQueueItemMismatch(ChainId chainId, uint64 position);
    /// @notice The deposit at `position` was consumed by the chain's newest final commitment (queue position
    ///         `consumed` ≥ `position`): the chain credited or refunded it, so it is not reclaimable.
    error RequestQueueDepositConsumed(ChainId chainId, uint64 position, uint64 consumed);
    /// @notice The deposit at `position` of `chainId` was already reclaimed.
    error RequestQueueDepositReclaimed(ChainId chainId, uint64 position);

    /// @notice An item was appended to `chainId`'s queue; `position` is the queue length after it, and
    ///         `rollingHash` the hash stored at that position.
    event RequestQueued(
        ChainId indexed chainId,
        uint64 indexed position,
        uint256 w0,
        uint256 w1,
        uint256 w2,
        bytes32 rollingHash
    );
    /// @notice `token` was registered as token `tokenId`.
    event TokenRegistered(uint32 indexed tokenId, address indexed token);
    /// @notice A forced request (kind 2: withdrawal, 3: message) was queued at `position` with `fee` wei; the
    ///         chain can be frozen once `deadline` (or the restarted deadline of a new operator) has passed
    ///         while it is unconsumed.
    event ForcedRequestQueued(
        ChainId indexed chainId,
        uint64 indexed position,
        uint8 kind,
        uint64 deadline,
        uint256 fee
    );
    /// @notice `sender` forced the message `payload` into `chainId` (item at `position`).
    event ForcedMessage(ChainId indexed chainId, uint64 indexed position, address indexed sender, bytes32 payload);
    /// @notice `caller` froze `chainId` because the forced request at `position` passed its deadline unconsumed.
    event ChainFreezeTriggered(ChainId indexed chainId, uint64 indexed position, address indexed caller);
    /// @notice The chain's operator claimed `amount` wei of forced fees, up to queue position `upTo`, to `to`.
    event FeesClaimed(ChainId indexed chainId, address indexed to, uint64 upTo, uint256 amount);
    /// @notice Withdrawal entry `k` of final commitment `index` of `chainId` paid `amount` of `tokenId` to
    ///         `recipient`.
    event WithdrawalClaimed(
        ChainId indexed chainId,
        uint32 indexed index,
        uint32 k,
        address indexed recipient,
        uint32 tokenId,
        uint256 amount
    );
    /// @notice Account `accountId` of frozen `chainId` escaped: `amount` of `tokenId` paid to `recipient`.
    event Escaped(
        ChainId indexed chainId,
        uint256 indexed accountId,
        address indexed recipient,
        uint32 tokenId,
        uint256 amount
    );
    /// @notice The unconsumed deposit at `position` of frozen `chainId` was paid back to its `refund` address.
    event DepositReclaimed(
        ChainId indexed chainId,
        uint64 indexed position,
        address indexed refund,
        uint32 tokenId,
        uint256 amount
    );

    /// @notice Deposits `msg.value` wei of ETH (token id 0) into account slot `accountIndex` of `chainId`
    ///         for the key with Poseidon hash `keyHash`; if the chain cannot credit it (slot taken by another
    ///         key or token, index beyond the tree, balance overflow) the chain refunds it to `refund`.
    /// @param chainId The active chain receiving the deposit.
    /// @param accountIndex The recipient's account slot on the chain.
    /// @param keyHash H_2(Ax, Ay) of the recipient's Baby Jubjub key; non-zero and below the field order.
    /// @param refund Where the settlement chain pays the deposit back if the chain refunds it.
    /// @return position The queue length after this deposit.
    function depositEth(
        ChainId chainId,
        uint32 accountIndex,
        uint256 keyHash,
        address refund
    ) external payable returns (uint64 position);

    /// @notice Registers an ERC-20 token for deposits; ids count from 1 (0 is ETH). Token admin role only; each
    ///         token once; non-zero.
    /// @param token The ERC-20 token.
    /// @return tokenId Its new id.
    function registerToken(address token) external returns (uint32 tokenId);

    /// @notice Deposits `amount` of registered token `tokenId` (pulled with `transferFrom`) into account slot
    ///         `accountIndex` of `chainId` for the key with hash `keyHash` (refunds as `depositEth`). The amount
    ///         credited is the balance increase this contract received (fee-on-transfer tokens), which must be in
    ///         (0, 2^128).
    /// @return position The queue length after this deposit.
    function depositErc20(
        ChainId chainId,
        uint32 tokenId,
        uint32 accountIndex,
        uint256 keyHash,
        address refund,
        uint256 amount
    ) external returns (uint64 position);

    /// @notice Queues a forced withdrawal signed by the owner of `w.slot` (docs/LEDGER.md §4): kind 2,
    ///         `w0 = 2 | tokenId·2^8 | slot·2^40 | amount·2^72`, `w1 = H_2(ax, ay)`, `w2 = uint160(recipient)`.
    ///         `msg.value` must equal the `ForcedFee` parameter; each signed withdrawal is usable once.
    /// @return position The queue length after it.
    function forceWithdrawal(
        ChainId chainId,
        ILedgerSignatureVerifier.ForcedWithdrawal calldata w
    ) external payable returns (uint64 position);

    /// @notice Queues a forced message from `msg.sender`: kind 3, `w0 = 3`,
    ///         `w1 = keccak256(abi.encode(chainId, msg.sender, payload)) mod r`, `w2 = uint160(msg.sender)`.
    ///         `msg.value` must equal the `ForcedFee` parameter.
    /// @return position The queue length after it.
    function forceMessage(ChainId chainId, bytes32 payload) external payable returns (uint64 position);

    /// @notice Freezes `chainId` (through the registry's freezer role) because the forced request at `position`
    ///         is overdue: it exists and is forced, the chain is Active, the latest commitment has not consumed it
    ///         (`registry.queuePosition(chainId) < position`), and `block.timestamp` is past its effective
    ///         deadline `max(deadline, registry.operatorSince(chainId) + ForcedDeadline)`. Anyone.
    function freeze(ChainId chainId, uint64 position) external;

    /// @notice Pays the chain's current operator-chosen `to` the fees of the forced requests consumed by the
    ///         chain's finalized commitment and not yet claimed (fees are earned on finality, so work an emergency
    ///         election discards is never paid). The chain's current operator only.
    /// @return amount The wei paid (may be 0).
    function claimFees(ChainId chainId, address to) external returns (uint256 amount);

    /// @notice Pays withdrawal entry `k` of `chainId`'s commitment `index` (docs/LEDGER.md §6): the commitment
    ///         must be final (`index ≤` the registry's finalized index) with a non-zero
    ///         `registry.withdrawalRoot(chainId, index)`; `E_k = H_3(recipient, tokenId, amount)` and `siblings`
    ///         (leaf level first, `H_2(left, right)` nodes, bit i of `k` set: the node is the right child) must
    ///         hash to that root; each `(chainId, index, k)` is paid once, and at most `escrowed(chainId,
    ///         tokenId)`. Anyone may submit it; the money always goes to `recipient`. Works in any chain status
    ///         (Active, Frozen, Ejected): only finality matters.
    /// @param chainId The chain whose commitment lists the withdrawal.
    /// @param index The final commitment.
    /// @param k The slot of the entry in the batch's withdrawal list (`k < 2^siblings.length`).
    /// @param recipient The entry's settlement-chain recipient (non-zero), who is paid.
    /// @param tokenId The entry's token (0: ETH).
    /// @param amount The entry's amount (below the field order).
    /// @param siblings The Merkle path, `log2 K` nodes (empty for K = 1).
    function claimWithdrawal(
        ChainId chainId,
        uint32 index,
        uint32 k,
        address recipient,
        uint32 tokenId,
        uint256 amount,
        uint256[] calldata siblings
    ) external;

    /// @notice Pays an account of a Frozen chain its balance in the chain's newest final state (docs/LEDGER.md
    ///         §9): the chain's escape verifier (`registry.securityConfig(chainId).escapeVerifier`, non-zero)
    ///         checks `proof` against the registry's finalized root (never a pending one) and returns
    ///         `(accountId, tokenId, amount)`; each `(chainId, accountId)` is paid once, at most
    ///         `escrowed(chainId, tokenId)`, to `recipient` (bound into the owner's signature). Frozen chains only:
    ///         an Active chain still serves withdrawals, and an Ejected one may have been ejected for a bad state.
    function escape(ChainId chainId, address recipient, bytes calldata proof) external;

    /// @notice Pays the deposit at `position` (1-based) of a Frozen chain back to its refund address `w2` when the
    ///         chain's newest final commitment never consumed it (`position >
    ///         registry.commitmentQueuePosition(chainId, finalizedIndex)`): `(w0, w1, w2)` must be the item
    ///         (`H_4(hashAt(position - 1), w0, w1, w2) = hashAt(position)`) and a deposit (kind 1); token and
    ///         amount come from `w0`; once per position, at most `escrowed(chainId, tokenId)`. Anyone may call.
    function reclaimDeposit(ChainId chainId, uint64 position, uint256 w0, uint256 w1, uint256 w2) external;

    /// @notice Whether withdrawal entry `k` of commitment `index` of `chainId` has been paid.
    function isWithdrawalClaimed(ChainId chainId, uint32 index, uint32 k) external view returns (bool);

    /// @notice Whether the escape hatch of `chainId` has paid anyone (an escape or a reclaimed deposit). Such a
    ///         chain can never be made Active again (the registry asks this before unfreezing).
    function hatchUsed(ChainId chainId) external view returns (bool);

    /// @notice Whether account `accountId` of `chainId` has escaped.
    function hasEscaped(ChainId chainId, uint256 accountId) external view returns (bool);

    /// @notice Whether the deposit at `position` of `chainId` has been reclaimed.
    function isDepositReclaimed(ChainId chainId, uint64 position) external view returns (bool);

    /// @notice Number of items ever queued for `chainId`.
    function length(ChainId chainId) external view returns (uint64);

    /// @notice The rolling hash after the first `position` items of `chainId`'s queue (0 for position 0).
    /// @dev Reverts with {RequestQueuePositionBeyondEnd} when `position > length(chainId)`.
    function hashAt(ChainId chainId, uint64 position) external view returns (bytes32);

    /// @notice Whether `(position, rollingHash)` is a point of `chainId`'s queue; never reverts.
    function isQueuePoint(ChainId chainId, uint64 position, bytes32 rollingHash) external view returns (bool);

    /// @notice Whether every `(positions[i], rollingHashes[i])` is a point of `chainIds[i]`'s queue: the AND of
    ///         `isQueuePoint(chainIds[i], positions[i], rollingHashes[i])` over every i (true for empty arrays).
    ///         One call for a batch of updates instead of one per update (BatchGroth16Verifier).
    /// @dev Reverts with {RequestQueueLengthMismatch} when the three arrays differ in length, and otherwise
    ///      only on input no ABI encoder produces (an entry of `chainIds` or `positions` above 2^64 - 1).
    ///      Costs one storage read per entry up to the first that is not a point.
    /// @param chainIds The chain of each point.
    /// @param positions The queue position of each point.
    /// @param rollingHashes The rolling hash claimed at each position.
    /// @return True iff every entry is a point of its chain's queue.
    function areQueuePoints(
        ChainId[] calldata chainIds,
        uint64[] calldata positions,
        bytes32[] calldata rollingHashes
    ) external view returns (bool);

    /// @notice Amount of token `tokenId` (0: ETH, in wei) deposited into `chainId` and held by this contract.
    function escrowed(ChainId chainId, uint32 tokenId) external view returns (uint256);

    /// @notice The address of registered token `tokenId` (zero when none, and for 0 = ETH).
    function tokenAddress(uint32 tokenId) external view returns (address);

    /// @notice The id of `token` (0 when not registered).
    function tokenIdOf(address token) external view returns (uint32);

    /// @notice Number of registered ERC-20 tokens (the highest id).
    function tokenCount() external view returns (uint32);

    /// @notice The stored deadline of the forced request at `position` (0 when the item is not forced).
    function forcedDeadline(ChainId chainId, uint64 position) external view returns (uint64);

    /// @notice The chain's forced fees: all paid, and all claimed by its operators.
    function forcedFees(ChainId chainId) external view returns (uint256 paid, uint256 claimed);

    /// @notice The fees `claimFees` would pay now (up to the finalized commitment's queue position).
    function claimableFees(ChainId chainId) external view returns (uint256);

    /// @notice Forced requests queued cluster-wide in the current block.
    function forcedInBlock() external view returns (uint256);

    /// @notice The signature verifier of forced withdrawals.
    function signatureVerifier() external view returns (address);

    /// @notice The Poseidon (4 inputs) contract used for the rolling hash.
    function poseidon() external view returns (address);

    /// @notice The Poseidon (2 inputs) contract: withdrawal tree nodes.
    function poseidon2() external view returns (address);

    /// @notice The Poseidon (3 inputs) contract: withdrawal entries.
    function poseidon3() external view returns (address);

    /// @notice The registry whose chains this queue serves.
    function registry() external view returns (address);
}
