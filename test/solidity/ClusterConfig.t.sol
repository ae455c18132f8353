// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ClusterConfig} from "../../contracts/governance/ClusterConfig.sol";
import {IClusterConfig} from "../../contracts/interfaces/IClusterConfig.sol";

import {Test} from "./utils/Test.sol";

/// @title ClusterConfigTest
/// @notice ClusterConfig: the constructor (zero addresses, every out-of-bounds initial value), `setParam` for
///         every parameter at and just beyond its hard bounds (G4), unknown parameters, access control (G6),
///         the `params()` / `registrationLimits()` / `bounds()` views against `param()` and a reference bounds
///         table, and the guardian's single expiring pause (G5): expiry at exactly `pausedUntil`, spent after
///         one use until `setGuardian` re-arms it, unpause by guardian or governance only.
contract ClusterConfigTest is Test {
    ClusterConfig internal config;

    address internal constant GUARDIAN = address(0x6A4D);
    address internal constant NEW_GUARDIAN = address(0x6A4E);
    address internal constant STRANGER = address(0xBAD);
    uint256 internal constant PARAM_COUNT = 11;
    uint256 internal constant START = 1_700_000_000;
    bytes32 internal constant ADMIN_ROLE = 0x00;

    function setUp() public {
        vm.warp(START);
        config = new ClusterConfig(address(this), GUARDIAN, _defaults());
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Valid initial values, none of them at a bound.
    function _defaults() internal pure returns (IClusterConfig.Params memory) {
        return
            IClusterConfig.Params({
                forcedDeadline: 1 days,
                forcedFee: 0.01 ether,
                forcedPerBlock: 16,
                electionVotingPeriod: 3 days,
                electionBond: 1 ether,
                maxFanOut: 8,
                maxDepth: 8,
                minStake: 1 ether,
                upgradeDelay: 7 days,
                pauseDuration: 7 days,
                delta: 1 hours
            });
    }

    /// @dev The reference bounds table (docs/GOVERNANCE.md §4), written out independently of the contract.
    function _refBounds(uint256 p) internal pure returns (uint256 min, uint256 max) {
        uint256[2][11] memory t = [
            [uint256(1 hours), 30 days],
            [uint256(0), 10 ether],
            [uint256(1), 100],
            [uint256(1 hours), 30 days],
            [uint256(0), 1000 ether],
            [uint256(1), 1024],
            [uint256(1), 32],
            [uint256(0), type(uint96).max],
            [uint256(1 hours), 90 days],
            [uint256(1 days), 180 days],
            [uint256(1 minutes), 7 days]
        ];
        return (t[p][0], t[p][1]);
    }

    function _toArray(IClusterConfig.Params memory p) internal pure returns (uint256[11] memory) {
        return abi.decode(abi.encode(p), (uint256[11]));
    }

    function _toParams(uint256[11] memory v) internal pure returns (IClusterConfig.Params memory) {
        return abi.decode(abi.encode(v), (IClusterConfig.Params));
    }

    /// @dev The defaults with parameter `p` set to `value`.
    function _defaultsWith(uint256 p, uint256 value) internal pure returns (IClusterConfig.Params memory) {
        uint256[11] memory v = _toArray(_defaults());
        v[p] = value;
        return _toParams(v);
    }

    function _values() internal view returns (uint256[11] memory v) {
        for (uint256 i; i < PARAM_COUNT; ++i) v[i] = config.param(i);
    }

    function _outOfBounds(uint256 p, uint256 value) internal pure returns (bytes memory) {
        (uint256 min, uint256 max) = _refBounds(p);
        return
            abi.encodeWithSelector(
                IClusterConfig.ConfigParamOutOfBounds.selector,
                IClusterConfig.Param(p),
                value,
                min,
                max
            );
    }

    function _unauthorized(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, ADMIN_ROLE);
    }

    /// @dev Everything the config exposes, hashed: equal fingerprints mean a call changed nothing.
    function _fingerprint() internal view returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    _values(),
                    config.guardian(),
                    config.pausedUntil(),
                    config.paused(),
                    config.pauseArmed(),
                    config.hasRole(ADMIN_ROLE, address(this)),
                    config.hasRole(ADMIN_ROLE, GUARDIAN)
                )
            );
    }

    function _pause() internal returns (uint64 until) {
        vm.prank(GUARDIAN);
        config.pause();
        until = config.pausedUntil();
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_constructor_storesEverything() public view {
        uint256[11] memory expected = _toArray(_defaults());
        for (uint256 i; i < PARAM_COUNT; ++i) {
            assertEq(config.param(i), expected[i], "initial value");
        }
        assertEq(config.guardian(), GUARDIAN, "guardian");
        assertTrue(config.hasRole(ADMIN_ROLE, address(this)), "governance is admin");
        assertFalse(config.hasRole(ADMIN_ROLE, GUARDIAN), "guardian is not admin");
        assertTrue(config.pauseArmed(), "armed");
        assertFalse(config.paused(), "not paused");
        assertEq(config.pausedUntil(), 0, "never paused");
        config.requireNotPaused();
    }

    function test_constructor_emitsEvents() public {
        uint256[11] memory v = _toArray(_defaults());
        for (uint256 i; i < PARAM_COUNT; ++i) {
            vm.expectEmit();
            emit IClusterConfig.ParamSet(IClusterConfig.Param(i), 0, v[i]);
        }
        vm.expectEmit();
        emit IClusterConfig.GuardianSet(address(0), GUARDIAN);
        new ClusterConfig(address(this), GUARDIAN, _defaults());
    }

    function test_constructor_zeroGovernance() public {
        vm.expectRevert(IClusterConfig.ConfigZeroAddress.selector);
        new ClusterConfig(address(0), GUARDIAN, _defaults());
    }

    function test_constructor_zeroGuardian() public {
        vm.expectRevert(IClusterConfig.ConfigZeroAddress.selector);
        new ClusterConfig(address(this), address(0), _defaults());
    }

    function test_constructor_acceptsEveryBound() public {
        uint256[11] memory lo;
        uint256[11] memory hi;
        for (uint256 i; i < PARAM_COUNT; ++i) {
            (lo[i], hi[i]) = _refBounds(i);
        }
        ClusterConfig atMin = new ClusterConfig(address(this), GUARDIAN, _toParams(lo));
        ClusterConfig atMax = new ClusterConfig(address(this), GUARDIAN, _toParams(hi));
        for (uint256 i; i < PARAM_COUNT; ++i) {
            assertEq(atMin.param(i), lo[i], "min");
            assertEq(atMax.param(i), hi[i], "max");
        }
    }

    function test_constructor_outOfBoundsInitialValue() public {
        for (uint256 i; i < PARAM_COUNT; ++i) {
            (uint256 min, uint256 max) = _refBounds(i);
            if (min > 0) {
                vm.expectRevert(_outOfBounds(i, min - 1));
                new ClusterConfig(address(this), GUARDIAN, _defaultsWith(i, min - 1));
            }
            vm.expectRevert(_outOfBounds(i, max + 1));
            new ClusterConfig(address(this), GUARDIAN, _defaultsWith(i, max + 1));
            vm.expectRevert(_outOfBounds(i, type(uint256).max));
            new ClusterConfig(address(this), GUARDIAN, _defaultsWith(i, type(uint256).max));
        }
    }

    /*//////////////////////////////////////////////////////////////
                                SETPARAM
    //////////////////////////////////////////////////////////////*/

    function test_setParam_atMinAndMax() public {
        for (uint256 i; i < PARAM_COUNT; ++i) {
            (uint256 min, uint256 max) = _refBounds(i);
            uint256[11] memory before = _values();
            config.setParam(i, min);
            assertEq(config.param(i), min, "at min");
            config.setParam(i, max);
            assertEq(config.param(i), max, "at max");
            uint256[11] memory afterwards = _values();
            for (uint256 j; j < PARAM_COUNT; ++j) {
                if (j != i) assertEq(afterwards[j], before[j], "other parameter changed");
            }
        }
    }

    function test_setParam_belowMin() public {
        for (uint256 i; i < PARAM_COUNT; ++i) {
            (uint256 min, ) = _refBounds(i);
            if (min == 0) continue;
            bytes32 before = _fingerprint();
            vm.expectRevert(_outOfBounds(i, min - 1));
            config.setParam(i, min - 1);
            assertEq(_fingerprint(), before, "state changed");
        }
    }

    function test_setParam_aboveMax() public {
        for (uint256 i; i < PARAM_COUNT; ++i) {
            (, uint256 max) = _refBounds(i);
            bytes32 before = _fingerprint();
            vm.expectRevert(_outOfBounds(i, max + 1));
            config.setParam(i, max + 1);
            vm.expectRevert(_outOfBounds(i, type(uint256).max));
            config.setParam(i, type(uint256).max);
            assertEq(_fingerprint(), before, "state changed");
        }
    }

    function test_setParam_unknownParam() public {
        bytes32 before = _fingerprint();
        uint256[3] memory raws = [PARAM_COUNT, PARAM_COUNT + 1, type(uint256).max];
        for (uint256 k; k < raws.length; ++k) {
            bytes memory err = abi.encodeWithSelector(IClusterConfig.ConfigUnknownParam.selector, raws[k]);
            vm.expectRevert(err);
            config.setParam(raws[k], 1);
            vm.expectRevert(err);
            config.param(raws[k]);
            vm.expectRevert(err);
            config.bounds(raws[k]);
        }
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setParam_nonAdmin() public {
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(_unauthorized(STRANGER));
        config.setParam(uint256(IClusterConfig.Param.MinStake), 0);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setParam_guardianCannot() public {
        bytes32 before = _fingerprint();
        vm.prank(GUARDIAN);
        vm.expectRevert(_unauthorized(GUARDIAN));
        config.setParam(uint256(IClusterConfig.Param.PauseDuration), 180 days);
        vm.prank(GUARDIAN);
        vm.expectRevert(_unauthorized(GUARDIAN));
        config.setGuardian(GUARDIAN);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setParam_emitsParamSet() public {
        uint256 p = uint256(IClusterConfig.Param.UpgradeDelay);
        vm.expectEmit(address(config));
        emit IClusterConfig.ParamSet(IClusterConfig.Param.UpgradeDelay, 7 days, 3 days);
        config.setParam(p, 3 days);
        // Setting the same value again is allowed and still logged.
        vm.expectEmit(address(config));
        emit IClusterConfig.ParamSet(IClusterConfig.Param.UpgradeDelay, 3 days, 3 days);
        config.setParam(p, 3 days);
    }

    /// @notice Any (parameter, value) pair, biased towards valid indices and the values around the bounds,
    ///         has the outcome the reference table predicts, and touches nothing else.
    function testFuzz_setParam_hostile(uint256 p, uint256 v) public {
        uint256 r = uint256(keccak256(abi.encode(p, v)));
        if (r % 4 != 0) p %= PARAM_COUNT + 1;
        bytes memory expected;
        if (p >= PARAM_COUNT) {
            expected = abi.encodeWithSelector(IClusterConfig.ConfigUnknownParam.selector, p);
        } else {
            (uint256 min, uint256 max) = _refBounds(p);
            uint256 mode = (r >> 8) % 7;
            if (mode == 1) v = bound(v, min, max);
            else if (mode == 2) v = min;
            else if (mode == 3) v = max;
            else if (mode == 4) v = min > 0 ? min - 1 : max + 1;
            else if (mode == 5) v = max + 1;
            if (v < min || v > max) expected = _outOfBounds(p, v);
        }
        uint256[11] memory before = _values();
        bytes32 beforeFingerprint = _fingerprint();
        if (expected.length != 0) {
            vm.expectRevert(expected);
            config.setParam(p, v);
            assertEq(_fingerprint(), beforeFingerprint, "state changed");
            return;
        }
        vm.expectEmit(address(config));
        emit IClusterConfig.ParamSet(IClusterConfig.Param(p), before[p], v);
        config.setParam(p, v);
        uint256[11] memory afterwards = _values();
        for (uint256 j; j < PARAM_COUNT; ++j) {
            assertEq(afterwards[j], j == p ? v : before[j], "parameter value");
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_bounds_matchReferenceTable() public view {
        for (uint256 i; i < PARAM_COUNT; ++i) {
            (uint256 min, uint256 max) = config.bounds(i);
            (uint256 refMin, uint256 refMax) = _refBounds(i);
            assertEq(min, refMin, "min");
            assertEq(max, refMax, "max");
        }
    }

    /// @notice After setting every parameter to a random in-bounds value, `params()` and
    ///         `registrationLimits()` agree with `param()`.
    function testFuzz_params_agreeWithParam(uint256 seed) public {
        for (uint256 i; i < PARAM_COUNT; ++i) {
            (uint256 min, uint256 max) = _refBounds(i);
            config.setParam(i, bound(uint256(keccak256(abi.encode(seed, i))), min, max));
        }
        uint256[11] memory all = _toArray(config.params());
        for (uint256 i; i < PARAM_COUNT; ++i) {
            assertEq(all[i], config.param(i), "params() != param()");
        }
        (uint16 maxFanOut, uint8 maxDepth, uint96 minStake) = config.registrationLimits();
        assertEq(maxFanOut, config.param(uint256(IClusterConfig.Param.MaxFanOut)), "maxFanOut");
        assertEq(maxDepth, config.param(uint256(IClusterConfig.Param.MaxDepth)), "maxDepth");
        assertEq(minStake, config.param(uint256(IClusterConfig.Param.MinStake)), "minStake");
    }

    function test_registrationLimits_atMaxBounds() public {
        config.setParam(uint256(IClusterConfig.Param.MaxFanOut), 1024);
        config.setParam(uint256(IClusterConfig.Param.MaxDepth), 32);
        config.setParam(uint256(IClusterConfig.Param.MinStake), type(uint96).max);
        (uint16 maxFanOut, uint8 maxDepth, uint96 minStake) = config.registrationLimits();
        assertEq(maxFanOut, 1024, "maxFanOut");
        assertEq(maxDepth, 32, "maxDepth");
        assertEq(minStake, type(uint96).max, "minStake");
    }

    /*//////////////////////////////////////////////////////////////
                                 PAUSE
    //////////////////////////////////////////////////////////////*/

    function test_pause_onlyGuardian() public {
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigNotGuardian.selector, STRANGER));
        config.pause();
        // Governance (the admin) cannot pause either: only the guardian can.
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigNotGuardian.selector, address(this)));
        config.pause();
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_pause_untilExactlyPausedUntil() public {
        uint64 expectedUntil = uint64(START + 7 days);
        vm.expectEmit(address(config));
        emit IClusterConfig.Paused(GUARDIAN, expectedUntil);
        uint64 until = _pause();
        assertEq(until, expectedUntil, "pausedUntil");
        assertTrue(config.paused(), "paused");
        assertFalse(config.pauseArmed(), "spent");
        bytes memory err = abi.encodeWithSelector(IClusterConfig.ConfigPaused.selector, until);
        vm.expectRevert(err);
        config.requireNotPaused();

        vm.warp(until - 1);
        assertTrue(config.paused(), "paused one second before the end");
        vm.expectRevert(err);
        config.requireNotPaused();

        vm.warp(until);
        assertFalse(config.paused(), "expired at pausedUntil");
        config.requireNotPaused();
        assertEq(config.pausedUntil(), until, "pausedUntil kept");
        assertFalse(config.pauseArmed(), "still spent after expiry");
    }

    function test_pause_twice() public {
        uint64 until = _pause();
        bytes32 before = _fingerprint();
        vm.prank(GUARDIAN);
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigAlreadyPaused.selector, until));
        config.pause();
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_pause_againAfterExpiry() public {
        uint64 until = _pause();
        vm.warp(until + 30 days);
        bytes32 before = _fingerprint();
        vm.prank(GUARDIAN);
        vm.expectRevert(IClusterConfig.ConfigPauseSpent.selector);
        config.pause();
        assertEq(_fingerprint(), before, "state changed");
        assertFalse(config.paused(), "not paused");
    }

    function test_pause_durationReadAtPauseTime() public {
        config.setParam(uint256(IClusterConfig.Param.PauseDuration), 1 days);
        uint64 until = _pause();
        assertEq(until, START + 1 days, "uses the current duration");
        // A longer duration set during the pause does not extend it.
        config.setParam(uint256(IClusterConfig.Param.PauseDuration), 180 days);
        assertEq(config.pausedUntil(), until, "pause not extended");
        vm.warp(until);
        assertFalse(config.paused(), "expired");
    }

    function testFuzz_pause_expiresAfterDuration(uint256 duration, uint256 dt) public {
        duration = bound(duration, 1 days, 180 days);
        dt = bound(dt, 0, 200 days);
        config.setParam(uint256(IClusterConfig.Param.PauseDuration), duration);
        uint64 until = _pause();
        assertEq(until, START + duration, "pausedUntil");
        vm.warp(START + dt);
        assertEq(config.paused(), dt < duration, "paused()");
        if (dt < duration) {
            vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigPaused.selector, until));
        }
        config.requireNotPaused();
    }

    function testFuzz_pause_hostileCaller(address caller) public {
        vm.assume(caller != GUARDIAN);
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigNotGuardian.selector, caller));
        config.pause();
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                              SETGUARDIAN
    //////////////////////////////////////////////////////////////*/

    function test_setGuardian_rearms() public {
        uint64 until = _pause();
        vm.warp(until);
        vm.expectEmit(address(config));
        emit IClusterConfig.GuardianSet(GUARDIAN, NEW_GUARDIAN);
        config.setGuardian(NEW_GUARDIAN);
        assertEq(config.guardian(), NEW_GUARDIAN, "guardian");
        assertTrue(config.pauseArmed(), "re-armed");

        // The old guardian has no power left.
        vm.prank(GUARDIAN);
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigNotGuardian.selector, GUARDIAN));
        config.pause();

        vm.prank(NEW_GUARDIAN);
        config.pause();
        assertTrue(config.paused(), "paused by the new guardian");
        assertEq(config.pausedUntil(), block.timestamp + 7 days, "pausedUntil");
    }

    function test_setGuardian_sameGuardianRearms() public {
        uint64 until = _pause();
        vm.warp(until);
        config.setGuardian(GUARDIAN);
        uint64 second = _pause();
        assertEq(second, until + 7 days, "second pause");
        assertTrue(config.paused(), "paused again");
    }

    function test_setGuardian_duringPauseDoesNotLiftIt() public {
        uint64 until = _pause();
        config.setGuardian(NEW_GUARDIAN);
        assertTrue(config.paused(), "still paused");
        assertEq(config.pausedUntil(), until, "pausedUntil kept");
        assertFalse(config.pauseArmed(), "cannot pause while paused");
        // Armed, but a pause in force cannot be stacked or extended.
        vm.prank(NEW_GUARDIAN);
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigAlreadyPaused.selector, until));
        config.pause();
        vm.warp(until);
        assertTrue(config.pauseArmed(), "armed once the pause expired");
    }

    function test_setGuardian_zeroAddress() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(IClusterConfig.ConfigZeroAddress.selector);
        config.setGuardian(address(0));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setGuardian_nonAdmin() public {
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(_unauthorized(STRANGER));
        config.setGuardian(STRANGER);
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                                UNPAUSE
    //////////////////////////////////////////////////////////////*/

    function test_unpause_byGuardian() public {
        _pause();
        vm.warp(START + 1 hours);
        vm.expectEmit(address(config));
        emit IClusterConfig.Unpaused(GUARDIAN);
        vm.prank(GUARDIAN);
        config.unpause();
        assertFalse(config.paused(), "unpaused");
        assertEq(config.pausedUntil(), START + 1 hours, "pausedUntil = now");
        config.requireNotPaused();
        // Lifting the pause does not give the guardian another one.
        assertFalse(config.pauseArmed(), "still spent");
        vm.prank(GUARDIAN);
        vm.expectRevert(IClusterConfig.ConfigPauseSpent.selector);
        config.pause();
    }

    function test_unpause_byGovernance() public {
        _pause();
        vm.expectEmit(address(config));
        emit IClusterConfig.Unpaused(address(this));
        config.unpause();
        assertFalse(config.paused(), "unpaused");
        assertEq(config.pausedUntil(), START, "pausedUntil = now");
    }

    function test_unpause_byStranger() public {
        _pause();
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigNotGuardianOrGovernance.selector, STRANGER));
        config.unpause();
        assertEq(_fingerprint(), before, "state changed");
        assertTrue(config.paused(), "still paused");
    }

    function test_unpause_whenNotPaused() public {
        bytes32 before = _fingerprint();
        vm.prank(GUARDIAN);
        vm.expectRevert(IClusterConfig.ConfigNotPaused.selector);
        config.unpause();
        vm.expectRevert(IClusterConfig.ConfigNotPaused.selector);
        config.unpause();
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_unpause_afterExpiry() public {
        uint64 until = _pause();
        vm.warp(until);
        bytes32 before = _fingerprint();
        vm.prank(GUARDIAN);
        vm.expectRevert(IClusterConfig.ConfigNotPaused.selector);
        config.unpause();
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_unpause_hostileCaller(address caller) public {
        vm.assume(caller != GUARDIAN && caller != address(this));
        _pause();
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigNotGuardianOrGovernance.selector, caller));
        config.unpause();
        assertEq(_fingerprint(), before, "state changed");
    }
}
