// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChainRelocation} from "../interfaces/IChainRelocation.sol";
import {IValidiumRegistry} from "../interfaces/IValidiumRegistry.sol";
import {ChainId, SETTLEMENT_ROOT} from "../types/ChainId.sol";

/// @title ChainRelocation
/// @notice Two-party consent for moving a chain and its subtree under another parent (IChainRelocation). It holds
///         the registry's RELOCATOR_ROLE; the registry checks the tree structure when the move executes.
/// @dev Invariants:
///      R1  `relocate` is called only from `acceptRelocation`, by the acceptor of the requested new parent (its
///          registry governance, or `rootAcceptor` for 0), for a request made by the chain's registry governance
///          that has not expired, been cancelled or replaced, and whose requester is still that governance.
///      R2  a request is consumed (deleted) before the registry is called, so it executes at most once.
///      R3  every rejection reverts: no request is created, changed or deleted by a call that fails.
///      Unknown chains: `requestRelocation` and `cancelRelocation` let `registry.chainGovernance` revert
///      (`RegistryUnknownChain`); an Ejected chain keeps its governance address, so it may request, and the
///      registry rejects the move at acceptance (`RegistryChainNotActive`).
///      A request made by a previous governance (the chain's governance changed since) is not live: it cannot
///      be accepted (`RelocationNoRequest`), as a pending security change does not survive a governance change.
contract ChainRelocation is IChainRelocation {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev The pending request of each chain (zero when none).
    mapping(ChainId => Request) private _requests;

    /// @inheritdoc IChainRelocation
    IValidiumRegistry public immutable registry;
    /// @inheritdoc IChainRelocation
    address public immutable rootAcceptor;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IChainRelocation
    uint64 public constant REQUEST_TTL = 30 days;

    /*//////////////////////////////////////////////////////////////
                               FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @param registry_ The registry (this contract needs its RELOCATOR_ROLE).
    /// @param rootAcceptor_ Who accepts moves to the top level (the cluster timelock).
    constructor(IValidiumRegistry registry_, address rootAcceptor_) {
        if (address(registry_) == address(0) || rootAcceptor_ == address(0)) revert RelocationZeroAddress();
        registry = registry_;
        rootAcceptor = rootAcceptor_;
    }

    /// @inheritdoc IChainRelocation
    function requestRelocation(ChainId chainId, ChainId newParent) external {
        _onlyChainGovernance(chainId);
        uint64 expiresAt = uint64(block.timestamp) + REQUEST_TTL;
        _requests[chainId] = Request({newParent: newParent, expiresAt: expiresAt, requester: msg.sender});
        emit RelocationRequested(chainId, newParent, msg.sender, expiresAt);
    }

    /// @inheritdoc IChainRelocation
    function cancelRelocation(ChainId chainId) external {
        _onlyChainGovernance(chainId);
        if (_requests[chainId].expiresAt == 0) revert RelocationNoRequest(chainId);
        delete _requests[chainId];
        emit RelocationCancelled(chainId);
    }

    /// @inheritdoc IChainRelocation
    /// @dev Checks, in order: a live request (set, not expired, made by the chain's current governance), the
    ///      requested new parent, the caller. A request is live while `block.timestamp <= expiresAt`.
    function acceptRelocation(
        ChainId chainId,
        ChainId newParent,
        ChainId[] calldata subtree,
        uint256[] calldata parentIndex
    ) external {
        Request memory req = _requests[chainId];
        if (req.expiresAt == 0 || block.timestamp > req.expiresAt) revert RelocationNoRequest(chainId);
        if (req.requester != registry.chainGovernance(chainId)) revert RelocationNoRequest(chainId);
        if (req.newParent != newParent) revert RelocationParentMismatch(chainId, req.newParent, newParent);
        address acceptor = newParent == SETTLEMENT_ROOT ? rootAcceptor : registry.chainGovernance(newParent);
        if (msg.sender != acceptor) revert RelocationNotAcceptor(newParent, msg.sender);
        delete _requests[chainId];
        registry.relocate(chainId, newParent, subtree, parentIndex);
        emit RelocationAccepted(chainId, newParent, msg.sender);
    }

    /// @inheritdoc IChainRelocation
    function request(ChainId chainId) external view returns (Request memory) {
        return _requests[chainId];
    }

    /// @dev Reverts unless the caller is `chainId`'s registry governance (the registry reverts for unknown chains).
    function _onlyChainGovernance(ChainId chainId) private view {
        if (msg.sender != registry.chainGovernance(chainId)) revert RelocationNotChainGovernance(chainId, msg.sender);
    }
}
