// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IClusterConfig
/// @notice The one place where cluster-wide parameters live (docs/GOVERNANCE.md §4), and the guardian's
///         expiring pause of user entry points (§5). Every member is an equal: no parameter is a property of
///         one chain, and only governance (the cluster timelock) changes them, each within hard bounds.
/// @dev Consumers read parameters with `param(p)`; the registry reads its registration limits with
///      `registrationLimits()`. User entry points (deposits, later forced operations and bridge calls) revert
///      while `paused()` is true.
interface IClusterConfig {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice The cluster-wide parameters. Units and hard bounds: `bounds(p)` and docs/GOVERNANCE.md §4.
    enum Param {
        /// @dev Seconds a forced operation may wait before its chain can be frozen.
        ForcedDeadline,
        /// @dev Wei a forced operation must carry (anti-spam fee).
        ForcedFee,
        /// @dev Forced operations accepted per settlement block, cluster-wide.
        ForcedPerBlock,
        /// @dev Seconds an emergency election stays open for votes.
        ElectionVotingPeriod,
        /// @dev Wei bonded by whoever starts an emergency election.
        ElectionBond,
        /// @dev Children per chain (the settlement chain included).
        MaxFanOut,
        /// @dev Deepest level a chain may sit at (top-level chains are at depth 1).
        MaxDepth,
        /// @dev Wei of stake an admission must carry.
        MinStake,
        /// @dev Seconds between the approval of a member's security change and its activation.
        UpgradeDelay,
        /// @dev Seconds a guardian pause lasts before it expires on its own.
        PauseDuration,
        /// @dev Δ: seconds within which a cross-chain message must be consumed (bridge issue).
        Delta
    }

    /// @notice Initial values, one field per `Param`, in the same order.
    struct Params {
        uint256 forcedDeadline;
        uint256 forcedFee;
        uint256 forcedPerBlock;
        uint256 electionVotingPeriod;
        uint256 electionBond;
        uint256 maxFanOut;
        uint256 maxDepth;
        uint256 minStake;
        uint256 upgradeDelay;
        uint256 pauseDuration;
        uint256 delta;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice `value` is outside `[min, max]` for `param`.
    error ConfigParamOutOfBounds(Param param, uint256 value, uint256 min, uint256 max);
    /// @notice `param` is not a known parameter (raw value too large).
    error ConfigUnknownParam(uint256 param);
    /// @notice The caller is not the guardian.
    error ConfigNotGuardian(address caller);
    /// @notice The caller is neither the guardian nor governance.
    error ConfigNotGuardianOrGovernance(address caller);
    /// @notice The guardian already used its pause; governance must re-arm it (`setGuardian`).
    error ConfigPauseSpent();
    /// @notice The cluster is not paused.
    error ConfigNotPaused();
    /// @notice A pause is in force until `pausedUntil`; it cannot be stacked or extended.
    error ConfigAlreadyPaused(uint64 pausedUntil);
    /// @notice A zero address where an account is required.
    error ConfigZeroAddress();
    /// @notice A user entry point was called while the cluster is paused (until `pausedUntil`).
    error ConfigPaused(uint64 pausedUntil);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `param` changed from `oldValue` to `newValue`.
    event ParamSet(Param indexed param, uint256 oldValue, uint256 newValue);
    /// @notice The guardian changed (and its pause was re-armed).
    event GuardianSet(address indexed previousGuardian, address indexed newGuardian);
    /// @notice The guardian paused user entry points until `pausedUntil` (a timestamp).
    event Paused(address indexed guardian, uint64 pausedUntil);
    /// @notice The pause was lifted before it expired.
    event Unpaused(address indexed by);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets one parameter. Governance (DEFAULT_ADMIN_ROLE, the cluster timelock) only.
    /// @param param The parameter, as `uint256(Param.X)` (a raw value lets an unknown one revert with
    ///        `ConfigUnknownParam` instead of an opaque decoding failure).
    /// @param value Its new value, within `bounds(param)`.
    function setParam(uint256 param, uint256 value) external;

    /// @notice Replaces the guardian and re-arms its single pause. Governance only. Does not lift a pause in
    ///         force (`unpause` does).
    /// @param newGuardian The new guardian (non-zero).
    function setGuardian(address newGuardian) external;

    /// @notice Pauses user entry points cluster-wide for `PauseDuration` seconds. Guardian only, once per
    ///         arming: after a pause the guardian cannot pause again until governance calls `setGuardian`.
    function pause() external;

    /// @notice Lifts the pause before it expires. Guardian or governance.
    function unpause() external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The current value of `param` (as `uint256(Param.X)`).
    function param(uint256 param) external view returns (uint256);

    /// @notice Every parameter's current value.
    function params() external view returns (Params memory);

    /// @notice The hard bounds of `param`, fixed in code.
    function bounds(uint256 param) external pure returns (uint256 min, uint256 max);

    /// @notice The registry's registration limits, in one call.
    function registrationLimits() external view returns (uint16 maxFanOut, uint8 maxDepth, uint96 minStake);

    /// @notice Whether user entry points are paused now (the pause expires on its own at `pausedUntil`).
    function paused() external view returns (bool);

    /// @notice When the current (or last) pause ends; 0 if never paused.
    function pausedUntil() external view returns (uint64);

    /// @notice The guardian.
    function guardian() external view returns (address);

    /// @notice Whether the guardian may pause now (its pause is armed and the cluster is not paused).
    function pauseArmed() external view returns (bool);

    /// @notice Reverts with `ConfigPaused` while paused; for user entry points of other contracts.
    function requireNotPaused() external view;
}
