// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "./ChainId.sol";

/// @notice The public data of one chain update: everything a verifier binds the proof to.
/// @dev The layout is fixed now so that later subsystems (forced operations, bridge, withdrawals)
///      do not change it: fields they need are present and must be zero until they exist.
///      Every verifier maps this struct to what it checks: a TEE committee signs its EIP-712 digest,
///      a Groth16 adapter derives its few public signals from it without keccak in the circuit.
struct UpdatePublicData {
    /// @notice The chain being updated.
    ChainId chainId;
    /// @notice "I hold the data of every ancestor commitment made before this settlement block".
    ///         At most the current block, never decreasing for a chain.
    uint64 ackBlock;
    /// @notice The chain's own block height that `newRoot` describes.
    uint64 l2Block;
    /// @notice Number of forced-queue items consumed by the chain so far (cumulative).
    uint64 queuePosition;
    /// @notice The state root this update builds on: the chain's latest commitment.
    bytes32 prevRoot;
    /// @notice The state root after the update.
    bytes32 newRoot;
    /// @notice Rolling hash of the forced queue up to `queuePosition`.
    bytes32 queueHash;
    /// @notice Root of the chain's outbox (messages to other chains); zero until the bridge exists.
    bytes32 outboxRoot;
    /// @notice Root of the chain's inbox (messages consumed); zero until the bridge exists.
    bytes32 inboxRoot;
    /// @notice Root of this update's withdrawal list (for the reference ledger: the Poseidon Merkle root of the
    ///         batch's withdrawal entries, docs/LEDGER.md §6).
    bytes32 withdrawalRoot;
}
