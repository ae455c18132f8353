// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";
import {IValidiumRegistry} from "./IValidiumRegistry.sol";

/// @title IChainRelocation
/// @notice Consent for moving a chain and its subtree under another parent (DESIGN.md §4, the seed's exit "to
///         someplace else in the fractal tree"; docs/PROTOCOL.md "Relocation"). Two parties must agree:
///         1. the moving chain's governance requests the move (it speaks for its subtree, whose chains joined
///            under it; the old parent is not asked: escaping a withholding parent is the point);
///         2. the new parent's governance accepts it (it takes on the subtree's votes in its b and the duty to
///            serve its data), or the cluster (the `ROOT_ACCEPTOR`, the timelock) for a move to the top level.
///         A request lives `REQUEST_TTL` seconds and can be cancelled by the requester. The registry checks the
///         structure (no cycle, fan-out, depth, Active chains) when the move executes.
interface IChainRelocation {
    /// @notice A pending relocation request.
    struct Request {
        ChainId newParent;
        uint64 expiresAt;
        address requester;
    }

    /// @notice The caller is not the chain's governance.
    error RelocationNotChainGovernance(ChainId chainId, address caller);
    /// @notice The caller may not accept for `newParent` (its governance, or the root acceptor for 0).
    error RelocationNotAcceptor(ChainId newParent, address caller);
    /// @notice The chain has no live relocation request.
    error RelocationNoRequest(ChainId chainId);
    /// @notice The request names a different new parent than the acceptance.
    error RelocationParentMismatch(ChainId chainId, ChainId requested, ChainId given);
    /// @notice A zero address was given for a required address.
    error RelocationZeroAddress();

    /// @notice `chainId`'s governance asked to move under `newParent`, until `expiresAt`.
    event RelocationRequested(ChainId indexed chainId, ChainId indexed newParent, address requester, uint64 expiresAt);
    /// @notice The request of `chainId` was cancelled by its governance.
    event RelocationCancelled(ChainId indexed chainId);
    /// @notice `acceptor` accepted: `chainId` moved under `newParent`.
    event RelocationAccepted(ChainId indexed chainId, ChainId indexed newParent, address acceptor);

    /// @notice Requests moving `chainId` (with its subtree) under `newParent`; replaces a previous request.
    ///         The chain's governance only.
    /// @param chainId The chain to move.
    /// @param newParent The new parent (0 = the settlement chain).
    function requestRelocation(ChainId chainId, ChainId newParent) external;

    /// @notice Withdraws the chain's request. The chain's governance only.
    /// @param chainId The chain.
    function cancelRelocation(ChainId chainId) external;

    /// @notice Accepts the live request of `chainId` and executes the move in the registry. The new parent's
    ///         governance only (the root acceptor for a top-level move).
    /// @param chainId The chain to move.
    /// @param newParent Must equal the requested new parent (guards against a replaced request).
    /// @param subtree The subtree of `chainId` in parent order (see `IValidiumRegistry.relocate`).
    /// @param parentIndex Index of each entry's parent in `subtree`.
    function acceptRelocation(
        ChainId chainId,
        ChainId newParent,
        ChainId[] calldata subtree,
        uint256[] calldata parentIndex
    ) external;

    /// @notice The live request of `chainId` (newParent 0 and expiresAt 0 if none; check `expiresAt`).
    function request(ChainId chainId) external view returns (Request memory);

    /// @notice The registry.
    function registry() external view returns (IValidiumRegistry);

    /// @notice Who accepts moves to the top level (the cluster timelock).
    function rootAcceptor() external view returns (address);

    /// @notice Seconds a request stays live.
    function REQUEST_TTL() external view returns (uint64);
}
