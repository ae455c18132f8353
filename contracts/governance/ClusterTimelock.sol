// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title ClusterTimelock
/// @notice The cluster's timelock: OpenZeppelin's TimelockController unchanged, under a name of its own so
///         that deployments and explorers show what it is. It holds every admin, registrar, status and
///         approver role of the suite after deployment (docs/GOVERNANCE.md §3).
/// @dev Deployed with the governor as its only proposer and canceller, the zero address as executor (anyone
///      may execute a ready operation, as OpenZeppelin recommends with a governor), and itself as admin.
contract ClusterTimelock is TimelockController {
    /// @param minDelay Seconds between queueing and executing an operation.
    /// @param proposers Accounts that may schedule (and cancel) operations: the governor.
    /// @param executors Accounts that may execute ready operations (address(0): anyone).
    /// @param admin Optional bootstrap admin (address(0): none; the timelock administers itself).
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
