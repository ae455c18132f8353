// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

import {IClusterConfig} from "../interfaces/IClusterConfig.sol";

/// @title ClusterConfig
/// @notice Cluster-wide parameters, set only by governance within hard bounds, and the guardian's pause.
/// @dev Invariants (docs/PROPERTIES.md, table G):
///      G4  every parameter is always within `bounds(p)`: the constructor and `setParam` check the same table.
///      G5  `paused()` is false once `block.timestamp ≥ pausedUntil`, and the guardian alone can never set
///          `pausedUntil` beyond `now + PauseDuration` nor pause twice without governance re-arming it.
///      G6  only DEFAULT_ADMIN_ROLE (the timelock) changes parameters or the guardian; the guardian changes
///          nothing but the pause.
contract ClusterConfig is IClusterConfig, AccessControl {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Parameter values, indexed by `Param`.
    uint256[11] private _values;
    /// @dev The guardian.
    address private _guardian;
    /// @dev End of the current (or last) pause, a timestamp.
    uint64 private _pausedUntil;
    /// @dev Whether the guardian may still pause (cleared by `pause`, set by `setGuardian`).
    bool private _armed;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 private constant _PARAM_COUNT = 11;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param governance Holder of DEFAULT_ADMIN_ROLE (the cluster timelock in production).
    /// @param guardian_ The guardian (may pause once until governance re-arms it).
    /// @param initial Initial parameters, each within its bounds.
    constructor(address governance, address guardian_, Params memory initial) {
        if (governance == address(0) || guardian_ == address(0)) revert ConfigZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        uint256[11] memory v = [
            initial.forcedDeadline,
            initial.forcedFee,
            initial.forcedPerBlock,
            initial.electionVotingPeriod,
            initial.electionBond,
            initial.maxFanOut,
            initial.maxDepth,
            initial.minStake,
            initial.upgradeDelay,
            initial.pauseDuration,
            initial.delta
        ];
        for (uint256 i; i < _PARAM_COUNT; ++i) {
            _set(Param(i), v[i]);
        }
        _guardian = guardian_;
        _armed = true;
        emit GuardianSet(address(0), guardian_);
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClusterConfig
    function setParam(uint256 p, uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _set(_param(p), value);
    }

    /// @inheritdoc IClusterConfig
    function setGuardian(address newGuardian) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newGuardian == address(0)) revert ConfigZeroAddress();
        address previous = _guardian;
        _guardian = newGuardian;
        _armed = true;
        emit GuardianSet(previous, newGuardian);
    }

    /// @inheritdoc IClusterConfig
    function pause() external {
        if (msg.sender != _guardian) revert ConfigNotGuardian(msg.sender);
        if (_isPaused()) revert ConfigAlreadyPaused(_pausedUntil);
        if (!_armed) revert ConfigPauseSpent();
        _armed = false;
        uint64 until = uint64(block.timestamp + _values[uint256(Param.PauseDuration)]);
        _pausedUntil = until;
        emit Paused(msg.sender, until);
    }

    /// @inheritdoc IClusterConfig
    function unpause() external {
        if (msg.sender != _guardian && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert ConfigNotGuardianOrGovernance(msg.sender);
        }
        if (!_isPaused()) revert ConfigNotPaused();
        _pausedUntil = uint64(block.timestamp);
        emit Unpaused(msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClusterConfig
    function param(uint256 p) external view returns (uint256) {
        return _values[uint256(_param(p))];
    }

    /// @inheritdoc IClusterConfig
    function params() external view returns (Params memory out) {
        uint256[11] storage v = _values;
        out = Params({
            forcedDeadline: v[0],
            forcedFee: v[1],
            forcedPerBlock: v[2],
            electionVotingPeriod: v[3],
            electionBond: v[4],
            maxFanOut: v[5],
            maxDepth: v[6],
            minStake: v[7],
            upgradeDelay: v[8],
            pauseDuration: v[9],
            delta: v[10]
        });
    }

    /// @inheritdoc IClusterConfig
    function bounds(uint256 p) external pure returns (uint256 min, uint256 max) {
        return _bounds(_param(p));
    }

    /// @inheritdoc IClusterConfig
    function registrationLimits() external view returns (uint16 maxFanOut, uint8 maxDepth, uint96 minStake) {
        uint256[11] storage v = _values;
        return (
            uint16(v[uint256(Param.MaxFanOut)]),
            uint8(v[uint256(Param.MaxDepth)]),
            uint96(v[uint256(Param.MinStake)])
        );
    }

    /// @inheritdoc IClusterConfig
    function paused() external view returns (bool) {
        return _isPaused();
    }

    /// @inheritdoc IClusterConfig
    function pausedUntil() external view returns (uint64) {
        return _pausedUntil;
    }

    /// @inheritdoc IClusterConfig
    function guardian() external view returns (address) {
        return _guardian;
    }

    /// @inheritdoc IClusterConfig
    function pauseArmed() external view returns (bool) {
        return _armed && !_isPaused();
    }

    /// @inheritdoc IClusterConfig
    function requireNotPaused() external view {
        uint64 until = _pausedUntil;
        if (block.timestamp < until) revert ConfigPaused(until);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev The hard bounds table (docs/GOVERNANCE.md §4).
    function _bounds(Param p) private pure returns (uint256 min, uint256 max) {
        if (p == Param.ForcedDeadline) return (1 hours, 30 days);
        if (p == Param.ForcedFee) return (0, 10 ether);
        if (p == Param.ForcedPerBlock) return (1, 100);
        if (p == Param.ElectionVotingPeriod) return (1 hours, 30 days);
        if (p == Param.ElectionBond) return (0, 1000 ether);
        if (p == Param.MaxFanOut) return (1, 1024);
        if (p == Param.MaxDepth) return (1, 32);
        if (p == Param.MinStake) return (0, type(uint96).max);
        if (p == Param.UpgradeDelay) return (1 hours, 90 days);
        if (p == Param.PauseDuration) return (1 days, 180 days);
        return (1 minutes, 7 days); // Param.Delta
    }

    function _param(uint256 p) private pure returns (Param) {
        if (p >= _PARAM_COUNT) revert ConfigUnknownParam(p);
        return Param(p);
    }

    function _set(Param p, uint256 value) private {
        (uint256 min, uint256 max) = _bounds(p);
        if (value < min || value > max) revert ConfigParamOutOfBounds(p, value, min, max);
        uint256 old = _values[uint256(p)];
        _values[uint256(p)] = value;
        emit ParamSet(p, old, value);
    }

    function _isPaused() private view returns (bool) {
        return block.timestamp < _pausedUntil;
    }
}
