// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";
import {IValidiumRegistry} from "./IValidiumRegistry.sol";

/// @title IRequestQueue
/// @notice The per-chain, in-order queue of requests (deposits now; forced withdrawals with the security
///         issue) that a chain's updates must consume. docs/LEDGER.md §4 defines the item encoding and the
///         Poseidon rolling hash `h_{n+1} = H_4(h_n, w0, w1, w2)`, `h_0 = 0`.
/// @dev Invariants: a chain's queue only grows; `hashAt(c, n)` never changes once position `n` exists;
///      `escrowed(c)` equals the ETH deposited into chain `c` (nothing is paid out before the escrow of the
///      security issue exists).
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

    /// @notice Wei of ETH deposited into `chainId` and held by this contract.
    function escrowed(ChainId chainId) external view returns (uint256);

    /// @notice The Poseidon (4 inputs) contract used for the rolling hash.
    function poseidon() external view returns (address);

    /// @notice The registry whose chains this queue serves.
    function registry() external view returns (address);
}
