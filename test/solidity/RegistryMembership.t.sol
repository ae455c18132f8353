// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ClusterConfig} from "../../contracts/governance/ClusterConfig.sol";
import {ClusterSeats} from "../../contracts/governance/ClusterSeats.sol";
import {IClusterConfig} from "../../contracts/interfaces/IClusterConfig.sol";
import {IClusterSeats} from "../../contracts/interfaces/IClusterSeats.sol";
import {IValidiumRegistry} from "../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../contracts/registry/ValidiumRegistry.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";

import {Test} from "./utils/Test.sol";
import {AcceptingVerifier, RejectingVerifier} from "./utils/Verifiers.sol";

/// @title RejectingApplicant
/// @notice An applicant contract without a receive function: it deposits an admission stake and cannot take ETH
///         back, so its withdrawal must revert with RegistryTransferFailed and change nothing.
contract RejectingApplicant {
    ValidiumRegistry internal immutable _registry;

    constructor(ValidiumRegistry registry_) {
        _registry = registry_;
    }

    function deposit(ChainId chainId) external payable {
        _registry.depositAdmissionStake{value: msg.value}(chainId);
    }

    function withdraw(ChainId chainId) external {
        _registry.withdrawAdmissionStake(chainId);
    }
}

/// @title ReentrantApplicant
/// @notice An applicant contract whose receive() re-enters the registry while its admission stake is being
///         returned: it calls withdrawAdmissionStake again and swallows the error (CatchReentry), lets that
///         call's revert propagate (PropagateReentry), or deposits what it received again (Redeposit). It counts
///         every payment it receives.
contract ReentrantApplicant {
    enum Mode {
        CatchReentry,
        PropagateReentry,
        Redeposit
    }

    ValidiumRegistry internal immutable _registry;
    ChainId public target;
    Mode public mode;
    uint256 public payments;
    uint256 public received;
    bool public reentrySucceeded;
    bytes public reentryError;

    constructor(ValidiumRegistry registry_) {
        _registry = registry_;
    }

    function deposit(ChainId chainId, Mode mode_) external payable {
        target = chainId;
        mode = mode_;
        _registry.depositAdmissionStake{value: msg.value}(chainId);
    }

    function withdraw() external {
        _registry.withdrawAdmissionStake(target);
    }

    // The re-entry under test lives in receive().
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        ++payments;
        received += msg.value;
        if (mode == Mode.CatchReentry) {
            try _registry.withdrawAdmissionStake(target) {
                reentrySucceeded = true;
            } catch (bytes memory err) {
                reentryError = err;
            }
        } else if (mode == Mode.PropagateReentry) {
            _registry.withdrawAdmissionStake(target);
        } else {
            _registry.depositAdmissionStake{value: msg.value}(target);
        }
    }
}

/// @title MembershipTestBase
/// @notice This file tests membership in ValidiumRegistry: admission, admission stakes, governance rotation and
///         seats (RegistryMembershipTest) and the security-change, admission-stake and rotation entry points under
///         hostile inputs (RegistryMembershipFuzzTest). This base holds the shared deployment: a real
///         ValidiumRegistry and ClusterConfig, this contract holding every registry role (admin, registrar,
///         status, approver) and being the config's governance and guardian.
abstract contract MembershipTestBase is Test {
    ClusterConfig internal config;
    ValidiumRegistry internal registry;
    ClusterSeats internal seats;
    AcceptingVerifier internal verifier;
    AcceptingVerifier internal verifier2;
    RejectingVerifier internal rejecting;

    address internal constant GOV_A = address(0x60A);
    address internal constant GOV_B = address(0x60B);
    address internal constant GOV_C = address(0x60C);
    address internal constant APPLICANT = address(0xA11);
    address internal constant STRANGER = address(0xBAD);
    address internal constant ESCAPE = address(0xE5C);
    uint256 internal constant MIN_STAKE = 1 ether;
    uint256 internal constant UPGRADE_DELAY = 2 days;
    uint256 internal constant START = 1_700_000_000;
    /// @dev Admission stakes of chain ids 0 .. APP_IDS - 1 are part of the fingerprint.
    uint64 internal constant APP_IDS = 10;
    uint256 internal constant MAX_STAKE = type(uint96).max;

    function setUp() public virtual {
        vm.warp(START);
        vm.roll(1000);
        config = new ClusterConfig(address(this), address(this), _params());
        registry = new ValidiumRegistry(address(this), config);
        seats = ClusterSeats(address(registry.seats()));
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        registry.grantRole(registry.APPROVER_ROLE(), address(this));
        verifier = new AcceptingVerifier();
        verifier2 = new AcceptingVerifier();
        rejecting = new RejectingVerifier();
        vm.deal(address(this), 1000 ether);
        vm.deal(STRANGER, 1000 ether);
        vm.deal(APPLICANT, 1000 ether);
    }

    function _params() internal pure returns (IClusterConfig.Params memory) {
        return
            IClusterConfig.Params({
                forcedDeadline: 1 days,
                forcedFee: 0,
                forcedPerBlock: 16,
                electionVotingPeriod: 3 days,
                electionBond: 0,
                maxFanOut: 4,
                maxDepth: 4,
                minStake: MIN_STAKE,
                upgradeDelay: UPGRADE_DELAY,
                pauseDuration: 7 days,
                delta: 1 hours
            });
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _id(uint64 raw) internal pure returns (ChainId) {
        return ChainId.wrap(raw);
    }

    function _op(uint64 id) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("operator", id)))));
    }

    function _genesis(uint64 id) internal pure returns (bytes32) {
        return keccak256(abi.encode("genesis", id));
    }

    function _security(uint64 id) internal view returns (IValidiumRegistry.SecurityConfig memory) {
        return
            IValidiumRegistry.SecurityConfig({
                operator: _op(id),
                verifier: address(verifier),
                escapeVerifier: ESCAPE,
                codeHash: keccak256(abi.encode("code", id)),
                configHash: keccak256(abi.encode("config", id))
            });
    }

    /// @dev A new configuration for chain `id`: another operator, verifier2, no escape verifier, new hashes.
    function _newSecurity(uint64 id, uint256 salt) internal view returns (IValidiumRegistry.SecurityConfig memory) {
        return
            IValidiumRegistry.SecurityConfig({
                operator: address(uint160(uint256(keccak256(abi.encode("new operator", id, salt))))),
                verifier: address(verifier2),
                escapeVerifier: address(0),
                codeHash: keccak256(abi.encode("new code", id, salt)),
                configHash: keccak256(abi.encode("new config", id, salt))
            });
    }

    function _admission(
        uint64 id,
        uint64 parent,
        address gov
    ) internal view returns (IValidiumRegistry.Admission memory) {
        return
            IValidiumRegistry.Admission({
                chainId: _id(id),
                parent: _id(parent),
                governance: gov,
                security: _security(id),
                genesisRoot: _genesis(id)
            });
    }

    function _admit(uint64 id, uint64 parent, address gov) internal {
        registry.admitChain{value: MIN_STAKE}(_admission(id, parent, gov));
    }

    function _announce(uint64 id, IValidiumRegistry.SecurityConfig memory cfg) internal returns (bytes32) {
        address gov = registry.chainGovernance(_id(id));
        vm.prank(gov);
        return registry.announceSecurityChange(_id(id), cfg);
    }

    /// @dev Announces `_newSecurity(id, salt)` and approves it now.
    function _announceAndApprove(uint64 id, uint256 salt) internal returns (bytes32 h) {
        h = _announce(id, _newSecurity(id, salt));
        registry.approveSecurityChange(_id(id), h);
    }

    function _expectedHash(
        uint64 id,
        uint256 nonce,
        IValidiumRegistry.SecurityConfig memory cfg
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(_id(id), nonce, cfg));
    }

    function _secHash(uint64 id) internal view returns (bytes32) {
        return keccak256(abi.encode(registry.securityConfig(_id(id))));
    }

    function _pendingHash(uint64 id) internal view returns (bytes32) {
        return keccak256(abi.encode(registry.pendingSecurityChange(_id(id))));
    }

    function _pending(uint64 id) internal view returns (IValidiumRegistry.PendingSecurityChange memory) {
        return registry.pendingSecurityChange(_id(id));
    }

    /// @dev Everything the registry and the seats expose about membership, hashed: equal fingerprints mean a
    ///      call changed nothing visible.
    function _fingerprint() internal view returns (bytes32 h) {
        uint256 n = registry.chainCount();
        h = keccak256(
            abi.encode(
                n,
                address(registry).balance,
                seats.seatCount(),
                seats.getVotes(GOV_A),
                seats.getVotes(GOV_B),
                seats.getVotes(GOV_C),
                registry.limits()
            )
        );
        h = keccak256(abi.encode(h, APPLICANT.balance, STRANGER.balance, address(this).balance));
        for (uint64 id; id < APP_IDS; ++id) {
            (address applicant, uint256 amount) = _application(id);
            h = keccak256(abi.encode(h, applicant, amount));
        }
        for (uint256 i; i < n; ++i) {
            ChainId id = registry.chainIdAt(i);
            bool member = seats.hasSeat(id);
            h = keccak256(
                abi.encode(
                    h,
                    id,
                    registry.chain(id),
                    registry.securityConfig(id),
                    registry.pendingSecurityChange(id),
                    registry.chainGovernance(id),
                    member,
                    member ? seats.ownerOf(ChainId.unwrap(id)) : address(0)
                )
            );
        }
    }

    /// @dev The admission stake deposited for `id`, as (applicant, amount).
    function _application(uint64 id) internal view returns (address applicant, uint256 amount) {
        (applicant, amount) = registry.admissionStake(_id(id));
    }

    /// @dev Deposits `amount` towards the admission stake of `id`, as `who`.
    function _deposit(address who, uint64 id, uint256 amount) internal {
        vm.prank(who);
        registry.depositAdmissionStake{value: amount}(_id(id));
    }

    /// @dev The application of `id` is `applicant` with `amount`.
    function _assertApplication(uint64 id, address applicant, uint256 amount) internal view {
        (address a, uint256 v) = _application(id);
        assertEq(a, applicant, "applicant");
        assertEq(v, amount, "application amount");
    }

    function _noApplication(uint64 id, address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IValidiumRegistry.RegistryNoApplication.selector, _id(id), caller);
    }

    /// @dev The pending change of `id` is all zero.
    function _assertNoPending(uint64 id) internal view {
        IValidiumRegistry.PendingSecurityChange memory empty;
        assertEq(_pendingHash(id), keccak256(abi.encode(empty)), "pending change not empty");
    }

    function _update(uint64 id, bytes32 newRoot) internal view returns (UpdatePublicData memory d) {
        (, IValidiumRegistry.CommitmentInfo memory latest) = registry.latestCommitment(_id(id));
        d.chainId = _id(id);
        d.ackBlock = uint64(block.number);
        d.l2Block = 1;
        d.prevRoot = latest.root;
        d.newRoot = newRoot;
    }

    function _unauthorized(address caller, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role);
    }

    function _notGovernance(uint64 id, address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IValidiumRegistry.RegistryNotChainGovernance.selector, _id(id), caller);
    }

    function _err(bytes4 selector, uint64 id) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, _id(id));
    }
}

/// @title RegistryMembershipTest
/// @notice Membership in ValidiumRegistry (docs/GOVERNANCE.md; G3, G7): `admitChain` (every field stored, the
///         seat minted to the governance address, every rejection), admission stakes deposited before the vote
///         (deposit, top-up, withdrawal, a rejecting and a re-entering applicant, stake = deposit + msg.value),
///         governance rotation (`setChainGovernance`: the seat and its vote move, the old governance loses its
///         rights), seats burned on ejection and kept on freeze, and the security-change lifecycle announce →
///         approve → activate (after UpgradeDelay) / cancel, with `submitUpdate` following the activated operator
///         and verifier. Every rejection asserts that nothing visible changed (a fingerprint of every chain,
///         security configuration, pending change, seat, admission stake and balance); fuzz tests throw random
///         chain ids, hashes, callers, amounts and times at each entry point.
contract RegistryMembershipTest is MembershipTestBase {
    /*//////////////////////////////////////////////////////////////
                               ADMISSION
    //////////////////////////////////////////////////////////////*/

    function test_admitChain_storesEverything() public {
        IValidiumRegistry.Admission memory a = _admission(7, 0, GOV_A);
        vm.expectEmit(address(seats));
        emit IClusterSeats.SeatGranted(_id(7), GOV_A);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainRegistered(
            _id(7),
            _id(0),
            _op(7),
            address(verifier),
            1,
            uint96(MIN_STAKE),
            a.genesisRoot
        );
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainAdmitted(_id(7), GOV_A, a.security);
        registry.admitChain{value: MIN_STAKE}(a);

        IValidiumRegistry.ChainInfo memory info = registry.chain(_id(7));
        assertEq(ChainId.unwrap(info.parent), 0, "parent");
        assertEq(info.operator, _op(7), "operator");
        assertEq(info.verifier, address(verifier), "verifier");
        assertTrue(info.status == IValidiumRegistry.ChainStatus.Active, "Active");
        assertEq(info.depth, 1, "depth");
        assertEq(info.stake, MIN_STAKE, "stake");
        assertEq(address(registry).balance, MIN_STAKE, "balance");
        assertEq(keccak256(abi.encode(registry.securityConfig(_id(7)))), keccak256(abi.encode(a.security)), "security");
        assertEq(registry.chainGovernance(_id(7)), GOV_A, "governance");
        assertEq(registry.commitment(_id(7), 0).root, a.genesisRoot, "genesis");
        _assertNoPending(7);
        assertEq(seats.ownerOf(7), GOV_A, "seat holder");
        assertTrue(seats.hasSeat(_id(7)), "hasSeat");
        assertEq(seats.seatCount(), 1, "seatCount");
        assertEq(seats.getVotes(GOV_A), 1, "vote");
        assertEq(registry.chainCount(), 1, "chainCount");
    }

    function test_admitChain_child() public {
        _admit(1, 0, GOV_A);
        _admit(2, 1, GOV_B);
        IValidiumRegistry.ChainInfo memory info = registry.chain(_id(2));
        assertEq(ChainId.unwrap(info.parent), 1, "parent");
        assertEq(info.depth, 2, "depth");
        assertEq(registry.chain(_id(1)).childCount, 1, "parent's children");
        assertEq(registry.subtreeSize(_id(1)), 2, "b(parent)");
        assertEq(seats.ownerOf(2), GOV_B, "seat holder");
        assertEq(seats.seatCount(), 2, "seatCount");
    }

    function test_admitChain_sameGovernanceTwoSeats() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_A);
        assertEq(seats.balanceOf(GOV_A), 2, "two seats");
        assertEq(seats.getVotes(GOV_A), 2, "two votes");
    }

    function test_admitChain_zeroGovernance() public {
        _admit(1, 0, GOV_A);
        bytes32 before = _fingerprint();
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.admitChain{value: MIN_STAKE}(_admission(2, 0, address(0)));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_admitChain_zeroOperatorOrVerifier() public {
        bytes32 before = _fingerprint();
        IValidiumRegistry.Admission memory a = _admission(2, 0, GOV_A);
        a.security.operator = address(0);
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.admitChain{value: MIN_STAKE}(a);
        a = _admission(2, 0, GOV_A);
        a.security.verifier = address(0);
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.admitChain{value: MIN_STAKE}(a);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_admitChain_nonRegistrar() public {
        IValidiumRegistry.Admission memory a = _admission(2, 0, STRANGER);
        bytes32 role = registry.REGISTRAR_ROLE();
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(_unauthorized(STRANGER, role));
        registry.admitChain{value: MIN_STAKE}(a);
        // The would-be member's governance address has no power to admit itself either.
        vm.prank(GOV_A);
        vm.expectRevert(_unauthorized(GOV_A, role));
        registry.admitChain(_admission(3, 0, GOV_A));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_admitChain_duplicate() public {
        _admit(1, 0, GOV_A);
        bytes32 before = _fingerprint();
        IValidiumRegistry.Admission memory a = _admission(1, 0, GOV_B);
        vm.expectRevert(_err(IValidiumRegistry.RegistryChainExists.selector, 1));
        registry.admitChain{value: MIN_STAKE}(a);
        assertEq(_fingerprint(), before, "state changed");
        // An ejected chain's id is never reused.
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Ejected);
        before = _fingerprint();
        vm.expectRevert(_err(IValidiumRegistry.RegistryChainExists.selector, 1));
        registry.admitChain{value: MIN_STAKE}(a);
        assertEq(_fingerprint(), before, "state changed after ejection");
    }

    function test_admitChain_stakeBelowMin() public {
        bytes32 before = _fingerprint();
        IValidiumRegistry.Admission memory a = _admission(1, 0, GOV_A);
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, MIN_STAKE - 1, MIN_STAKE)
        );
        registry.admitChain{value: MIN_STAKE - 1}(a);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, 0, MIN_STAKE));
        registry.admitChain(a);
        assertEq(_fingerprint(), before, "state changed");
        // More than the minimum is kept as the stake.
        registry.admitChain{value: MIN_STAKE + 5}(a);
        assertEq(registry.chain(_id(1)).stake, MIN_STAKE + 5, "stake");
    }

    function test_admitChain_reservedId() public {
        bytes32 before = _fingerprint();
        IValidiumRegistry.Admission memory a = _admission(0, 0, GOV_A);
        vm.expectRevert(IValidiumRegistry.RegistryReservedChainId.selector);
        registry.admitChain{value: MIN_STAKE}(a);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_admitChain_parentNotActive() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_A);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Frozen);
        registry.setChainStatus(_id(2), IValidiumRegistry.ChainStatus.Ejected);
        bytes32 before = _fingerprint();
        IValidiumRegistry.Admission memory a = _admission(3, 1, GOV_B);
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryChainNotActive.selector,
                _id(1),
                IValidiumRegistry.ChainStatus.Frozen
            )
        );
        registry.admitChain{value: MIN_STAKE}(a);
        a.parent = _id(2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryChainNotActive.selector,
                _id(2),
                IValidiumRegistry.ChainStatus.Ejected
            )
        );
        registry.admitChain{value: MIN_STAKE}(a);
        a.parent = _id(99);
        vm.expectRevert(_err(IValidiumRegistry.RegistryUnknownChain.selector, 99));
        registry.admitChain{value: MIN_STAKE}(a);
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @notice The registry reads its limits from the config at every admission.
    function test_admitChain_limitsFromConfig() public {
        _admit(1, 0, GOV_A);
        config.setParam(uint256(IClusterConfig.Param.MaxFanOut), 1);
        config.setParam(uint256(IClusterConfig.Param.MaxDepth), 1);
        config.setParam(uint256(IClusterConfig.Param.MinStake), 5 ether);
        bytes32 before = _fingerprint();
        IValidiumRegistry.Admission memory a = _admission(2, 0, GOV_A);
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, MIN_STAKE, 5 ether)
        );
        registry.admitChain{value: MIN_STAKE}(a);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, _id(0), uint16(1)));
        registry.admitChain{value: 5 ether}(a);
        a.parent = _id(1);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryDepthExceeded.selector, uint8(2), uint8(1)));
        registry.admitChain{value: 5 ether}(a);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_registerChain_governanceIsOperator() public {
        registry.registerChain{value: MIN_STAKE}(_id(5), _id(0), _op(5), address(verifier), _genesis(5));
        assertEq(registry.chainGovernance(_id(5)), _op(5), "governance = operator");
        assertEq(seats.ownerOf(5), _op(5), "seat holder");
        IValidiumRegistry.SecurityConfig memory s = registry.securityConfig(_id(5));
        assertEq(s.operator, _op(5), "operator");
        assertEq(s.verifier, address(verifier), "verifier");
        assertEq(s.escapeVerifier, address(0), "escape verifier");
        assertEq(s.codeHash, bytes32(0), "code hash");
        assertEq(s.configHash, bytes32(0), "config hash");
        // The operator, being the governance address, can announce its own change.
        vm.prank(_op(5));
        registry.announceSecurityChange(_id(5), _newSecurity(5, 1));
    }

    /// @notice Random ids, parents, governance addresses and stakes: the outcome the check order predicts,
    ///         and nothing changed on a rejection.
    function testFuzz_admitChain_hostile(uint64 id, uint64 parent, address gov, uint256 stake, uint8 mode) public {
        _admit(1, 0, GOV_A);
        _admit(2, 1, GOV_B);
        registry.setChainStatus(_id(2), IValidiumRegistry.ChainStatus.Frozen);
        if (mode % 4 == 0) id = uint64(mode % 3);
        if ((mode >> 2) % 4 == 0) parent = uint64((mode >> 4) % 3);
        if ((mode >> 4) % 4 == 0) gov = address(0);
        stake = (mode >> 6) % 2 == 0 ? MIN_STAKE : bound(stake, 0, 2 * MIN_STAKE);
        bytes memory expected;
        if (gov == address(0)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryZeroAddress.selector);
        } else if (id == 0) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryReservedChainId.selector);
        } else if (id <= 2) {
            expected = _err(IValidiumRegistry.RegistryChainExists.selector, id);
        } else if (stake < MIN_STAKE) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, stake, MIN_STAKE);
        } else if (parent > 2) {
            expected = _err(IValidiumRegistry.RegistryUnknownChain.selector, parent);
        } else if (parent == 2) {
            expected = abi.encodeWithSelector(
                IValidiumRegistry.RegistryChainNotActive.selector,
                _id(2),
                IValidiumRegistry.ChainStatus.Frozen
            );
        }
        IValidiumRegistry.Admission memory a = _admission(id, parent, gov);
        bytes32 before = _fingerprint();
        if (expected.length != 0) {
            vm.expectRevert(expected);
            registry.admitChain{value: stake}(a);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        registry.admitChain{value: stake}(a);
        assertEq(seats.ownerOf(id), gov, "seat holder");
        assertEq(registry.chainGovernance(_id(id)), gov, "governance");
        assertEq(seats.seatCount(), 3, "seatCount");
        assertEq(registry.chain(_id(id)).stake, stake, "stake");
    }

    /*//////////////////////////////////////////////////////////////
                                 STATUS
    //////////////////////////////////////////////////////////////*/

    function test_setChainStatus_ejectBurnsSeat() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_A);
        vm.expectEmit(address(seats));
        emit IClusterSeats.SeatRevoked(_id(1), GOV_A);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Ejected);
        assertFalse(seats.hasSeat(_id(1)), "seat burned");
        assertTrue(seats.hasSeat(_id(2)), "other seat kept");
        assertEq(seats.seatCount(), 1, "seatCount");
        assertEq(seats.getVotes(GOV_A), 1, "one vote left");
        // The chain stays registered: its governance address is still readable, but it is no member.
        assertEq(registry.chainGovernance(_id(1)), GOV_A, "governance kept");
        assertTrue(registry.chainStatus(_id(1)) == IValidiumRegistry.ChainStatus.Ejected, "Ejected");
    }

    function test_setChainStatus_ejectFrozenBurnsSeat() public {
        _admit(1, 0, GOV_A);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Frozen);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Ejected);
        assertFalse(seats.hasSeat(_id(1)), "seat burned");
        assertEq(seats.seatCount(), 0, "seatCount");
        assertEq(seats.getVotes(GOV_A), 0, "no vote");
    }

    function test_setChainStatus_freezeKeepsSeat() public {
        _admit(1, 0, GOV_A);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Frozen);
        assertEq(seats.ownerOf(1), GOV_A, "seat kept while frozen");
        assertEq(seats.getVotes(GOV_A), 1, "vote kept while frozen");
        assertEq(seats.seatCount(), 1, "seatCount");
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Active);
        assertEq(seats.ownerOf(1), GOV_A, "seat kept on unfreeze");
        assertEq(seats.seatCount(), 1, "seatCount after unfreeze");
    }

    function test_setChainStatus_ejectedIsTerminal() public {
        _admit(1, 0, GOV_A);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Ejected);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryInvalidStatusChange.selector,
                _id(1),
                IValidiumRegistry.ChainStatus.Ejected,
                IValidiumRegistry.ChainStatus.Active
            )
        );
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Active);
        assertEq(_fingerprint(), before, "state changed");
        assertFalse(seats.hasSeat(_id(1)), "no seat comes back");
    }

    function test_setChainStatus_ejectDropsPendingChange() public {
        _admit(1, 0, GOV_A);
        bytes32 h = _announceAndApprove(1, 1);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeCancelled(_id(1), h);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Ejected);
        _assertNoPending(1);
        bytes32 sec = _secHash(1);
        vm.warp(START + 10 * UPGRADE_DELAY);
        vm.expectRevert(_err(IValidiumRegistry.RegistryNotMember.selector, 1));
        registry.activateSecurityChange(_id(1));
        assertEq(_secHash(1), sec, "security unchanged");
    }

    /*//////////////////////////////////////////////////////////////
                                ANNOUNCE
    //////////////////////////////////////////////////////////////*/

    function test_announceSecurityChange_storesPending() public {
        _admit(1, 0, GOV_A);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(1, 1);
        bytes32 expectedHash = _expectedHash(1, 1, cfg);
        bytes32 sec = _secHash(1);
        vm.warp(START + 55);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeAnnounced(_id(1), expectedHash, cfg);
        vm.prank(GOV_A);
        bytes32 h = registry.announceSecurityChange(_id(1), cfg);
        assertEq(h, expectedHash, "changeHash");
        IValidiumRegistry.PendingSecurityChange memory p = _pending(1);
        assertEq(keccak256(abi.encode(p.config)), keccak256(abi.encode(cfg)), "config");
        assertEq(p.changeHash, h, "pending hash");
        assertEq(p.announcedAt, START + 55, "announcedAt");
        assertEq(p.approvedAt, 0, "approvedAt");
        assertEq(p.activatesAt, 0, "activatesAt");
        assertEq(_secHash(1), sec, "security unchanged by an announcement");
    }

    function test_announceSecurityChange_notGovernance() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_B);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(1, 1);
        bytes32 before = _fingerprint();
        address[4] memory callers = [STRANGER, _op(1), address(this), GOV_B];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_notGovernance(1, callers[i]));
            registry.announceSecurityChange(_id(1), cfg);
        }
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_announceSecurityChange_zeroAddress() public {
        _admit(1, 0, GOV_A);
        bytes32 before = _fingerprint();
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(1, 1);
        cfg.operator = address(0);
        vm.prank(GOV_A);
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.announceSecurityChange(_id(1), cfg);
        cfg = _newSecurity(1, 1);
        cfg.verifier = address(0);
        vm.prank(GOV_A);
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.announceSecurityChange(_id(1), cfg);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_announceSecurityChange_unknownChain() public {
        _admit(1, 0, GOV_A);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(2, 1);
        bytes32 before = _fingerprint();
        vm.prank(GOV_A);
        vm.expectRevert(_err(IValidiumRegistry.RegistryUnknownChain.selector, 2));
        registry.announceSecurityChange(_id(2), cfg);
        vm.prank(GOV_A);
        vm.expectRevert(_err(IValidiumRegistry.RegistryUnknownChain.selector, 0));
        registry.announceSecurityChange(_id(0), cfg);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_announceSecurityChange_ejectedChain() public {
        _admit(1, 0, GOV_A);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Ejected);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(1, 1);
        bytes32 before = _fingerprint();
        vm.prank(GOV_A);
        vm.expectRevert(_err(IValidiumRegistry.RegistryNotMember.selector, 1));
        registry.announceSecurityChange(_id(1), cfg);
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @notice A Frozen chain is still a member: it can change its security configuration (e.g. to recover).
    function test_announceSecurityChange_frozenChain() public {
        _admit(1, 0, GOV_A);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Frozen);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(1, 1);
        bytes32 h = _announceAndApprove(1, 1);
        vm.warp(START + UPGRADE_DELAY);
        registry.activateSecurityChange(_id(1));
        assertEq(_secHash(1), keccak256(abi.encode(cfg)), "activated on a frozen chain");
        assertTrue(h != bytes32(0), "hash");
    }

    function test_announceSecurityChange_reannounceResetsApproval() public {
        _admit(1, 0, GOV_A);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(1, 1);
        bytes32 h1 = _announceAndApprove(1, 1);
        vm.warp(START + 1 hours);
        // The same configuration again: a new hash, and the approval is gone.
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeCancelled(_id(1), h1);
        bytes32 h2 = _announce(1, cfg);
        assertTrue(h2 != h1, "new hash");
        assertEq(h2, _expectedHash(1, 2, cfg), "nonce 2");
        IValidiumRegistry.PendingSecurityChange memory p = _pending(1);
        assertEq(p.changeHash, h2, "pending hash");
        assertEq(p.approvedAt, 0, "approval reset");
        assertEq(p.activatesAt, 0, "activation reset");
        assertEq(p.announcedAt, START + 1 hours, "announcedAt");

        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryChangeMismatch.selector, _id(1), h2, h1));
        registry.approveSecurityChange(_id(1), h1);
        vm.warp(START + 10 * UPGRADE_DELAY);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryChangeNotApproved.selector, _id(1), h2));
        registry.activateSecurityChange(_id(1));
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                                APPROVE
    //////////////////////////////////////////////////////////////*/

    function test_approveSecurityChange_beforeAnnounce() public {
        _admit(1, 0, GOV_A);
        bytes32 before = _fingerprint();
        vm.expectRevert(_err(IValidiumRegistry.RegistryNoPendingChange.selector, 1));
        registry.approveSecurityChange(_id(1), bytes32(0));
        vm.expectRevert(_err(IValidiumRegistry.RegistryNoPendingChange.selector, 1));
        registry.approveSecurityChange(_id(1), _expectedHash(1, 1, _newSecurity(1, 1)));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_approveSecurityChange_wrongHash() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_B);
        bytes32 h1 = _announce(1, _newSecurity(1, 1));
        bytes32 h2 = _announce(2, _newSecurity(2, 1));
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryChangeMismatch.selector, _id(1), h1, h2));
        registry.approveSecurityChange(_id(1), h2);
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryChangeMismatch.selector, _id(1), h1, bytes32(0))
        );
        registry.approveSecurityChange(_id(1), bytes32(0));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_approveSecurityChange_setsActivation() public {
        _admit(1, 0, GOV_A);
        bytes32 h = _announce(1, _newSecurity(1, 1));
        bytes32 sec = _secHash(1);
        vm.warp(START + 100);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeApproved(_id(1), h, uint64(START + 100 + UPGRADE_DELAY));
        registry.approveSecurityChange(_id(1), h);
        IValidiumRegistry.PendingSecurityChange memory p = _pending(1);
        assertEq(p.changeHash, h, "hash");
        assertEq(p.announcedAt, START, "announcedAt");
        assertEq(p.approvedAt, START + 100, "approvedAt");
        assertEq(p.activatesAt, START + 100 + UPGRADE_DELAY, "activatesAt");
        assertEq(_secHash(1), sec, "security unchanged by an approval");
    }

    function test_approveSecurityChange_twice() public {
        _admit(1, 0, GOV_A);
        bytes32 h = _announceAndApprove(1, 1);
        vm.warp(START + 1 days);
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryChangeAlreadyApproved.selector, _id(1), h));
        registry.approveSecurityChange(_id(1), h);
        assertEq(_fingerprint(), before, "state changed (approval not refreshed)");
    }

    function test_approveSecurityChange_nonApprover() public {
        _admit(1, 0, GOV_A);
        bytes32 h = _announce(1, _newSecurity(1, 1));
        bytes32 role = registry.APPROVER_ROLE();
        bytes32 before = _fingerprint();
        // The chain's own governance cannot approve its change.
        vm.prank(GOV_A);
        vm.expectRevert(_unauthorized(GOV_A, role));
        registry.approveSecurityChange(_id(1), h);
        vm.prank(STRANGER);
        vm.expectRevert(_unauthorized(STRANGER, role));
        registry.approveSecurityChange(_id(1), h);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_approveSecurityChange_unknownOrEjected() public {
        _admit(1, 0, GOV_A);
        bytes32 h = _announce(1, _newSecurity(1, 1));
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Ejected);
        bytes32 before = _fingerprint();
        vm.expectRevert(_err(IValidiumRegistry.RegistryNotMember.selector, 1));
        registry.approveSecurityChange(_id(1), h);
        vm.expectRevert(_err(IValidiumRegistry.RegistryUnknownChain.selector, 2));
        registry.approveSecurityChange(_id(2), h);
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIVATE
    //////////////////////////////////////////////////////////////*/

    function test_activateSecurityChange_noPending() public {
        _admit(1, 0, GOV_A);
        bytes32 before = _fingerprint();
        vm.expectRevert(_err(IValidiumRegistry.RegistryNoPendingChange.selector, 1));
        registry.activateSecurityChange(_id(1));
        vm.expectRevert(_err(IValidiumRegistry.RegistryUnknownChain.selector, 2));
        registry.activateSecurityChange(_id(2));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_activateSecurityChange_beforeApproval() public {
        _admit(1, 0, GOV_A);
        bytes32 h = _announce(1, _newSecurity(1, 1));
        vm.warp(START + 100 * UPGRADE_DELAY);
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryChangeNotApproved.selector, _id(1), h));
        registry.activateSecurityChange(_id(1));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_activateSecurityChange_exactlyAtActivatesAt() public {
        _admit(1, 0, GOV_A);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(1, 1);
        bytes32 h = _announceAndApprove(1, 1);
        uint64 at = uint64(START + UPGRADE_DELAY);
        bytes memory notReady = abi.encodeWithSelector(IValidiumRegistry.RegistryChangeNotReady.selector, _id(1), at);
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(notReady);
        registry.activateSecurityChange(_id(1));
        vm.warp(at - 1);
        vm.prank(STRANGER);
        vm.expectRevert(notReady);
        registry.activateSecurityChange(_id(1));
        assertEq(_fingerprint(), before, "state changed");

        vm.warp(at);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeActivated(_id(1), h, cfg);
        vm.prank(STRANGER);
        registry.activateSecurityChange(_id(1));
        assertEq(_secHash(1), keccak256(abi.encode(cfg)), "new security config");
        assertEq(_pending(1).changeHash, bytes32(0), "pending cleared");
        IValidiumRegistry.ChainInfo memory info = registry.chain(_id(1));
        assertEq(info.operator, cfg.operator, "chain().operator");
        assertEq(info.verifier, cfg.verifier, "chain().verifier");
        assertTrue(info.status == IValidiumRegistry.ChainStatus.Active, "status kept");
        assertEq(registry.chainGovernance(_id(1)), GOV_A, "governance unchanged");
        assertEq(seats.ownerOf(1), GOV_A, "seat unchanged");

        before = _fingerprint();
        vm.expectRevert(_err(IValidiumRegistry.RegistryNoPendingChange.selector, 1));
        registry.activateSecurityChange(_id(1));
        assertEq(_fingerprint(), before, "second activation changed state");
    }

    /// @notice activatesAt is fixed when the change is approved: a later UpgradeDelay change moves it neither
    ///         way (the documented rule: approvedAt + UpgradeDelay at approval time).
    function test_activateSecurityChange_delayFixedAtApproval() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_B);
        _announceAndApprove(1, 1);
        config.setParam(uint256(IClusterConfig.Param.UpgradeDelay), 90 days);
        _announceAndApprove(2, 1);
        assertEq(_pending(1).activatesAt, START + UPGRADE_DELAY, "chain 1 keeps the old delay");
        assertEq(_pending(2).activatesAt, START + 90 days, "chain 2 gets the new delay");
        vm.warp(START + UPGRADE_DELAY);
        registry.activateSecurityChange(_id(1));
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryChangeNotReady.selector, _id(2), uint64(START + 90 days))
        );
        registry.activateSecurityChange(_id(2));
    }

    function test_activateSecurityChange_ejectedAfterApproval() public {
        _admit(1, 0, GOV_A);
        _announceAndApprove(1, 1);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Ejected);
        vm.warp(START + UPGRADE_DELAY);
        bytes32 before = _fingerprint();
        vm.expectRevert(_err(IValidiumRegistry.RegistryNotMember.selector, 1));
        registry.activateSecurityChange(_id(1));
        assertEq(_fingerprint(), before, "state changed");
        assertEq(_secHash(1), keccak256(abi.encode(_security(1))), "old security kept");
    }

    /*//////////////////////////////////////////////////////////////
                                 CANCEL
    //////////////////////////////////////////////////////////////*/

    function test_cancelSecurityChange_byGovernance() public {
        _admit(1, 0, GOV_A);
        bytes32 h = _announceAndApprove(1, 1);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeCancelled(_id(1), h);
        vm.prank(GOV_A);
        registry.cancelSecurityChange(_id(1));
        assertEq(_pending(1).changeHash, bytes32(0), "cleared");
        vm.warp(START + UPGRADE_DELAY);
        vm.expectRevert(_err(IValidiumRegistry.RegistryNoPendingChange.selector, 1));
        registry.activateSecurityChange(_id(1));
        vm.expectRevert(_err(IValidiumRegistry.RegistryNoPendingChange.selector, 1));
        registry.approveSecurityChange(_id(1), h);
        assertEq(_secHash(1), keccak256(abi.encode(_security(1))), "security unchanged");
    }

    function test_cancelSecurityChange_byApprover() public {
        _admit(1, 0, GOV_A);
        bytes32 h = _announce(1, _newSecurity(1, 1));
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeCancelled(_id(1), h);
        registry.cancelSecurityChange(_id(1));
        assertEq(_pending(1).changeHash, bytes32(0), "cleared");
        // A fresh announcement of the same config needs a fresh approval: the old hash is dead.
        bytes32 h2 = _announce(1, _newSecurity(1, 1));
        assertTrue(h2 != h, "new hash");
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryChangeMismatch.selector, _id(1), h2, h));
        registry.approveSecurityChange(_id(1), h);
    }

    function test_cancelSecurityChange_byStranger() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_B);
        _announceAndApprove(1, 1);
        bytes32 before = _fingerprint();
        address[3] memory callers = [STRANGER, _op(1), GOV_B];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_notGovernance(1, callers[i]));
            registry.cancelSecurityChange(_id(1));
        }
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_cancelSecurityChange_noPending() public {
        _admit(1, 0, GOV_A);
        bytes32 before = _fingerprint();
        vm.prank(GOV_A);
        vm.expectRevert(_err(IValidiumRegistry.RegistryNoPendingChange.selector, 1));
        registry.cancelSecurityChange(_id(1));
        vm.expectRevert(_err(IValidiumRegistry.RegistryNoPendingChange.selector, 1));
        registry.cancelSecurityChange(_id(1));
        vm.expectRevert(_err(IValidiumRegistry.RegistryUnknownChain.selector, 2));
        registry.cancelSecurityChange(_id(2));
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                         UPDATES AFTER ACTIVATION
    //////////////////////////////////////////////////////////////*/

    function test_submitUpdate_afterActivationUsesNewOperator() public {
        _admit(1, 0, GOV_A);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(1, 1);
        _announceAndApprove(1, 1);
        // Approved but not active: the old operator still submits, the new one cannot.
        UpdatePublicData memory d = _update(1, keccak256("r1"));
        vm.prank(cfg.operator);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNotOperator.selector, _id(1), cfg.operator));
        registry.submitUpdate(d, "");
        vm.prank(_op(1));
        registry.submitUpdate(d, "");

        vm.warp(START + UPGRADE_DELAY);
        vm.roll(block.number + 1);
        registry.activateSecurityChange(_id(1));
        d = _update(1, keccak256("r2"));
        bytes32 before = _fingerprint();
        vm.prank(_op(1));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNotOperator.selector, _id(1), _op(1)));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
        vm.prank(cfg.operator);
        assertEq(registry.submitUpdate(d, ""), 2, "new operator's update");
    }

    function test_submitUpdate_afterActivationUsesNewVerifier() public {
        _admit(1, 0, GOV_A);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(1, 1);
        cfg.verifier = address(rejecting);
        bytes32 h = _announce(1, cfg);
        registry.approveSecurityChange(_id(1), h);
        vm.warp(START + UPGRADE_DELAY);
        registry.activateSecurityChange(_id(1));
        UpdatePublicData memory d = _update(1, keccak256("r1"));
        bytes32 before = _fingerprint();
        vm.prank(cfg.operator);
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryInvalidProof.selector, _id(1), address(rejecting))
        );
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                          ADMISSION STAKE: DEPOSIT
    //////////////////////////////////////////////////////////////*/

    function test_depositAdmissionStake_recordsApplication() public {
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.AdmissionStakeDeposited(_id(7), APPLICANT, 0.4 ether, 0.4 ether);
        _deposit(APPLICANT, 7, 0.4 ether);
        _assertApplication(7, APPLICANT, 0.4 ether);
        assertEq(address(registry).balance, 0.4 ether, "registry balance");
        assertEq(APPLICANT.balance, 1000 ether - 0.4 ether, "applicant balance");
        // A deposit registers nothing: no chain, no seat, no vote.
        assertEq(registry.chainCount(), 0, "chainCount");
        assertTrue(registry.chainStatus(_id(7)) == IValidiumRegistry.ChainStatus.None, "status None");
        assertFalse(seats.hasSeat(_id(7)), "no seat");
        assertEq(seats.getVotes(APPLICANT), 0, "no vote");
        _assertApplication(8, address(0), 0);
    }

    function test_depositAdmissionStake_topUp() public {
        _deposit(APPLICANT, 7, 0.25 ether);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.AdmissionStakeDeposited(_id(7), APPLICANT, 0.5 ether, 0.75 ether);
        _deposit(APPLICANT, 7, 0.5 ether);
        _assertApplication(7, APPLICANT, 0.75 ether);
        assertEq(address(registry).balance, 0.75 ether, "registry balance");
        // Applications for other chain ids are independent, also from another applicant.
        _deposit(STRANGER, 8, 3);
        _assertApplication(7, APPLICANT, 0.75 ether);
        _assertApplication(8, STRANGER, 3);
        assertEq(address(registry).balance, 0.75 ether + 3, "registry balance with two applications");
    }

    function test_depositAdmissionStake_reservedId() public {
        bytes32 before = _fingerprint();
        vm.prank(APPLICANT);
        vm.expectRevert(IValidiumRegistry.RegistryReservedChainId.selector);
        registry.depositAdmissionStake{value: 1 ether}(_id(0));
        assertEq(_fingerprint(), before, "state changed");
        _assertApplication(0, address(0), 0);
    }

    function test_depositAdmissionStake_chainExists() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_B);
        _admit(3, 0, GOV_B);
        registry.setChainStatus(_id(2), IValidiumRegistry.ChainStatus.Frozen);
        registry.setChainStatus(_id(3), IValidiumRegistry.ChainStatus.Ejected);
        bytes32 before = _fingerprint();
        // Active, Frozen and Ejected chains all exist: an ejected chain's id is never applied for again.
        for (uint64 id = 1; id <= 3; ++id) {
            vm.prank(APPLICANT);
            vm.expectRevert(_err(IValidiumRegistry.RegistryChainExists.selector, id));
            registry.depositAdmissionStake{value: 1 ether}(_id(id));
            // Not even by the chain's own governance.
            vm.prank(registry.chainGovernance(_id(id)));
            vm.expectRevert(_err(IValidiumRegistry.RegistryChainExists.selector, id));
            registry.depositAdmissionStake{value: 0}(_id(id));
        }
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_depositAdmissionStake_zeroValue() public {
        bytes32 before = _fingerprint();
        vm.prank(APPLICANT);
        vm.expectRevert(IValidiumRegistry.RegistryZeroDeposit.selector);
        registry.depositAdmissionStake(_id(7));
        assertEq(_fingerprint(), before, "state changed (no application)");
        // A zero top-up of an existing application is refused too.
        _deposit(APPLICANT, 7, 1 ether);
        before = _fingerprint();
        vm.prank(APPLICANT);
        vm.expectRevert(IValidiumRegistry.RegistryZeroDeposit.selector);
        registry.depositAdmissionStake(_id(7));
        assertEq(_fingerprint(), before, "state changed (top-up)");
        _assertApplication(7, APPLICANT, 1 ether);
    }

    function test_depositAdmissionStake_takenByAnotherApplicant() public {
        _deposit(APPLICANT, 7, 1 ether);
        vm.deal(GOV_A, 2 ether);
        bytes32 before = _fingerprint();
        bytes memory taken = abi.encodeWithSelector(
            IValidiumRegistry.RegistryApplicationTaken.selector,
            _id(7),
            APPLICANT
        );
        address[3] memory callers = [STRANGER, GOV_A, address(this)];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(taken);
            registry.depositAdmissionStake{value: 2 ether}(_id(7));
        }
        assertEq(_fingerprint(), before, "state changed");
        _assertApplication(7, APPLICANT, 1 ether);
        // Once the applicant withdraws, the chain id is free for another applicant.
        vm.prank(APPLICANT);
        registry.withdrawAdmissionStake(_id(7));
        _deposit(STRANGER, 7, 2 ether);
        _assertApplication(7, STRANGER, 2 ether);
    }

    function test_depositAdmissionStake_stakeTooLarge() public {
        vm.deal(APPLICANT, 2 * MAX_STAKE + 2);
        bytes32 before = _fingerprint();
        vm.prank(APPLICANT);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryStakeTooLarge.selector, MAX_STAKE + 1));
        registry.depositAdmissionStake{value: MAX_STAKE + 1}(_id(7));
        assertEq(_fingerprint(), before, "state changed (single deposit)");
        // Exactly type(uint96).max fits; one more wei on top does not.
        _deposit(APPLICANT, 7, MAX_STAKE - 1);
        _deposit(APPLICANT, 7, 1);
        _assertApplication(7, APPLICANT, MAX_STAKE);
        before = _fingerprint();
        vm.prank(APPLICANT);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryStakeTooLarge.selector, MAX_STAKE + 1));
        registry.depositAdmissionStake{value: 1}(_id(7));
        assertEq(_fingerprint(), before, "state changed (top-up)");
        _assertApplication(7, APPLICANT, MAX_STAKE);
    }

    /*//////////////////////////////////////////////////////////////
                         ADMISSION STAKE: WITHDRAW
    //////////////////////////////////////////////////////////////*/

    function test_withdrawAdmissionStake_returnsStake() public {
        _deposit(APPLICANT, 7, 0.3 ether);
        _deposit(APPLICANT, 7, 0.2 ether);
        _deposit(STRANGER, 8, 1 ether);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.AdmissionStakeWithdrawn(_id(7), APPLICANT, 0.5 ether);
        vm.prank(APPLICANT);
        registry.withdrawAdmissionStake(_id(7));
        _assertApplication(7, address(0), 0);
        _assertApplication(8, STRANGER, 1 ether);
        assertEq(APPLICANT.balance, 1000 ether, "applicant refunded in full");
        assertEq(address(registry).balance, 1 ether, "only the other application is left");
        // Nothing left to withdraw.
        bytes32 before = _fingerprint();
        vm.prank(APPLICANT);
        vm.expectRevert(_noApplication(7, APPLICANT));
        registry.withdrawAdmissionStake(_id(7));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_withdrawAdmissionStake_noApplication() public {
        _admit(1, 0, GOV_A);
        _deposit(APPLICANT, 7, 1 ether);
        bytes32 before = _fingerprint();
        // Someone else's application.
        address[4] memory callers = [STRANGER, GOV_A, address(this), address(0)];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_noApplication(7, callers[i]));
            registry.withdrawAdmissionStake(_id(7));
        }
        // No application at all: a free id (also as the zero address), id 0, a registered chain.
        vm.prank(APPLICANT);
        vm.expectRevert(_noApplication(8, APPLICANT));
        registry.withdrawAdmissionStake(_id(8));
        vm.prank(address(0));
        vm.expectRevert(_noApplication(8, address(0)));
        registry.withdrawAdmissionStake(_id(8));
        vm.prank(APPLICANT);
        vm.expectRevert(_noApplication(0, APPLICANT));
        registry.withdrawAdmissionStake(_id(0));
        vm.prank(GOV_A);
        vm.expectRevert(_noApplication(1, GOV_A));
        registry.withdrawAdmissionStake(_id(1));
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @notice An admission spends the application: its stake is the chain's now and cannot be withdrawn.
    function test_withdrawAdmissionStake_afterAdmission() public {
        _deposit(APPLICANT, 7, MIN_STAKE);
        registry.admitChain(_admission(7, 0, APPLICANT));
        bytes32 before = _fingerprint();
        vm.prank(APPLICANT);
        vm.expectRevert(_noApplication(7, APPLICANT));
        registry.withdrawAdmissionStake(_id(7));
        assertEq(_fingerprint(), before, "state changed");
        assertEq(registry.chain(_id(7)).stake, MIN_STAKE, "stake kept by the chain");
        assertEq(address(registry).balance, MIN_STAKE, "registry balance");
    }

    /// @notice An applicant that cannot take ETH back: RegistryTransferFailed, and the application survives
    ///         (it can still be admitted with it).
    function test_withdrawAdmissionStake_rejectingApplicant() public {
        RejectingApplicant applicant = new RejectingApplicant(registry);
        applicant.deposit{value: 1 ether}(_id(7));
        _assertApplication(7, address(applicant), 1 ether);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryTransferFailed.selector, address(applicant), 1 ether)
        );
        applicant.withdraw(_id(7));
        assertEq(_fingerprint(), before, "state changed");
        _assertApplication(7, address(applicant), 1 ether);
        assertEq(address(registry).balance, 1 ether, "registry balance");
        assertEq(address(applicant).balance, 0, "applicant balance");
        registry.admitChain(_admission(7, 0, GOV_A));
        assertEq(registry.chain(_id(7)).stake, 1 ether, "deposit became the stake");
    }

    /// @notice A receive() that calls withdrawAdmissionStake again while being paid: the application is deleted
    ///         before the transfer, so the nested call fails with RegistryNoApplication and the applicant is paid
    ///         once, even with other stakes and applications in the registry to steal from.
    function test_withdrawAdmissionStake_reentrantApplicantPaidOnce() public {
        _admit(1, 0, GOV_A);
        _deposit(APPLICANT, 8, 3 ether);
        ReentrantApplicant r = new ReentrantApplicant(registry);
        r.deposit{value: 2 ether}(_id(7), ReentrantApplicant.Mode.CatchReentry);
        assertEq(address(registry).balance, MIN_STAKE + 5 ether, "registry balance before");
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.AdmissionStakeWithdrawn(_id(7), address(r), 2 ether);
        r.withdraw();
        assertEq(r.payments(), 1, "paid once");
        assertEq(r.received(), 2 ether, "received its stake");
        assertEq(address(r).balance, 2 ether, "applicant balance");
        assertFalse(r.reentrySucceeded(), "nested withdrawal accepted");
        assertEq(r.reentryError(), _noApplication(7, address(r)), "nested withdrawal error");
        assertEq(address(registry).balance, MIN_STAKE + 3 ether, "registry paid exactly the stake");
        _assertApplication(7, address(0), 0);
        _assertApplication(8, APPLICANT, 3 ether);
        assertEq(registry.chain(_id(1)).stake, MIN_STAKE, "member stake untouched");
    }

    /// @notice A receive() whose nested withdrawal reverts makes the transfer fail: RegistryTransferFailed, and
    ///         the withdrawal is undone entirely.
    function test_withdrawAdmissionStake_reentryRevertUndoesWithdrawal() public {
        ReentrantApplicant r = new ReentrantApplicant(registry);
        r.deposit{value: 2 ether}(_id(7), ReentrantApplicant.Mode.PropagateReentry);
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryTransferFailed.selector, address(r), 2 ether));
        r.withdraw();
        assertEq(_fingerprint(), before, "state changed");
        _assertApplication(7, address(r), 2 ether);
        assertEq(r.payments(), 0, "no payment recorded");
        assertEq(address(r).balance, 0, "applicant balance");
    }

    /// @notice A receive() that deposits the returned stake again: the application is deleted before the
    ///         transfer, so the nested deposit opens a fresh application of exactly that amount (not a double).
    function test_withdrawAdmissionStake_redepositDuringWithdrawal() public {
        ReentrantApplicant r = new ReentrantApplicant(registry);
        r.deposit{value: 2 ether}(_id(7), ReentrantApplicant.Mode.Redeposit);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.AdmissionStakeWithdrawn(_id(7), address(r), 2 ether);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.AdmissionStakeDeposited(_id(7), address(r), 2 ether, 2 ether);
        r.withdraw();
        _assertApplication(7, address(r), 2 ether);
        assertEq(address(registry).balance, 2 ether, "registry balance");
        assertEq(address(r).balance, 0, "applicant balance");
        assertEq(r.payments(), 1, "paid once");
    }

    /*//////////////////////////////////////////////////////////////
                        ADMISSION STAKE: ADMISSION
    //////////////////////////////////////////////////////////////*/

    function test_admitChain_addsDepositToStake() public {
        _deposit(APPLICANT, 7, 0.4 ether);
        IValidiumRegistry.Admission memory a = _admission(7, 0, APPLICANT);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainRegistered(
            _id(7),
            _id(0),
            _op(7),
            address(verifier),
            1,
            uint96(MIN_STAKE),
            a.genesisRoot
        );
        registry.admitChain{value: 0.6 ether}(a);
        assertEq(registry.chain(_id(7)).stake, MIN_STAKE, "stake = deposit + msg.value");
        assertEq(address(registry).balance, MIN_STAKE, "registry balance");
        assertEq(APPLICANT.balance, 1000 ether - 0.4 ether, "applicant paid its deposit only");
        _assertApplication(7, address(0), 0);
        assertEq(seats.ownerOf(7), APPLICANT, "seat holder");
        // The chain id is taken now: no new application for it.
        bytes32 before = _fingerprint();
        vm.prank(APPLICANT);
        vm.expectRevert(_err(IValidiumRegistry.RegistryChainExists.selector, 7));
        registry.depositAdmissionStake{value: 1}(_id(7));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_admitChain_depositAloneCoversStake() public {
        _deposit(APPLICANT, 7, MIN_STAKE + 7);
        registry.admitChain(_admission(7, 0, APPLICANT));
        assertEq(registry.chain(_id(7)).stake, MIN_STAKE + 7, "stake = deposit");
        assertEq(address(registry).balance, MIN_STAKE + 7, "registry balance");
        _assertApplication(7, address(0), 0);
    }

    /// @notice The deposit is earmarked for the chain id, not for a governance address: it counts toward the
    ///         stake of whatever admission the cluster votes for that id.
    function test_admitChain_depositCountsWhoeverGoverns() public {
        _deposit(APPLICANT, 7, MIN_STAKE);
        registry.admitChain(_admission(7, 0, GOV_A));
        assertEq(registry.chain(_id(7)).stake, MIN_STAKE, "stake");
        assertEq(seats.ownerOf(7), GOV_A, "seat to the admitted governance");
        _assertApplication(7, address(0), 0);
    }

    function test_admitChain_partialDepositInsufficient() public {
        _deposit(APPLICANT, 7, 0.3 ether);
        IValidiumRegistry.Admission memory a = _admission(7, 0, APPLICANT);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, 0.8 ether, MIN_STAKE)
        );
        registry.admitChain{value: 0.5 ether}(a);
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, 0.3 ether, MIN_STAKE)
        );
        registry.admitChain(a);
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, MIN_STAKE - 1, MIN_STAKE)
        );
        registry.registerChain{value: 0.7 ether - 1}(_id(7), _id(0), _op(7), address(verifier), _genesis(7));
        assertEq(_fingerprint(), before, "state changed");
        _assertApplication(7, APPLICANT, 0.3 ether);
        // Exactly the minimum between the two passes.
        registry.admitChain{value: 0.7 ether}(a);
        assertEq(registry.chain(_id(7)).stake, MIN_STAKE, "stake");
        assertEq(address(registry).balance, MIN_STAKE, "registry balance");
    }

    /// @notice An admission that fails for any reason leaves the deposit where it was (withdrawable in full).
    function test_admitChain_failedAdmissionKeepsDeposit() public {
        _admit(1, 0, GOV_A);
        _deposit(APPLICANT, 7, 2 ether);
        bytes32 before = _fingerprint();
        IValidiumRegistry.Admission memory a = _admission(7, 99, APPLICANT);
        vm.expectRevert(_err(IValidiumRegistry.RegistryUnknownChain.selector, 99));
        registry.admitChain(a);
        a = _admission(7, 0, address(0));
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.admitChain(a);
        a = _admission(7, 0, APPLICANT);
        bytes32 role = registry.REGISTRAR_ROLE();
        vm.prank(APPLICANT);
        vm.expectRevert(_unauthorized(APPLICANT, role));
        registry.admitChain(a);
        config.setParam(uint256(IClusterConfig.Param.MaxFanOut), 1);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, _id(0), uint16(1)));
        registry.admitChain(a);
        config.setParam(uint256(IClusterConfig.Param.MaxFanOut), 4);
        assertEq(_fingerprint(), before, "state changed");
        _assertApplication(7, APPLICANT, 2 ether);
        vm.prank(APPLICANT);
        registry.withdrawAdmissionStake(_id(7));
        assertEq(APPLICANT.balance, 1000 ether, "refunded in full");
        assertEq(address(registry).balance, MIN_STAKE, "only chain 1's stake left");
    }

    function test_admitChain_depositPlusValueTooLarge() public {
        vm.deal(APPLICANT, MAX_STAKE);
        _deposit(APPLICANT, 7, MAX_STAKE);
        IValidiumRegistry.Admission memory a = _admission(7, 0, APPLICANT);
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryStakeTooLarge.selector, MAX_STAKE + 1));
        registry.admitChain{value: 1}(a);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryStakeTooLarge.selector, MAX_STAKE + 2));
        registry.registerChain{value: 2}(_id(7), _id(0), _op(7), address(verifier), _genesis(7));
        assertEq(_fingerprint(), before, "state changed");
        // The deposit alone is exactly type(uint96).max: it fits.
        registry.admitChain(a);
        assertEq(registry.chain(_id(7)).stake, MAX_STAKE, "stake");
    }

    function test_registerChain_addsDepositToStake() public {
        _deposit(APPLICANT, 5, 0.5 ether);
        registry.registerChain{value: 0.5 ether + 3}(_id(5), _id(0), _op(5), address(verifier), _genesis(5));
        assertEq(registry.chain(_id(5)).stake, MIN_STAKE + 3, "stake = deposit + msg.value");
        assertEq(address(registry).balance, MIN_STAKE + 3, "registry balance");
        _assertApplication(5, address(0), 0);
        assertEq(registry.chainGovernance(_id(5)), _op(5), "governance = operator");
    }

    /// @notice Random deposits and values, including sums around type(uint96).max: stake = deposit + msg.value,
    ///         the registry holds exactly that, and a rejection (insufficient or too large) changes nothing.
    function testFuzz_admitChain_depositPlusValue(uint256 deposit, uint256 value, bool huge) public {
        if (huge) {
            deposit = bound(deposit, MAX_STAKE - 2 ether, MAX_STAKE);
            value = bound(value, 0, 4 ether);
        } else {
            deposit = bound(deposit, 1, 3 * MIN_STAKE);
            value = bound(value, 0, 3 * MIN_STAKE);
        }
        vm.deal(APPLICANT, deposit);
        vm.deal(address(this), value);
        _deposit(APPLICANT, 7, deposit);
        uint256 total = deposit + value;
        IValidiumRegistry.Admission memory a = _admission(7, 0, APPLICANT);
        bytes memory expected;
        if (total < MIN_STAKE) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, total, MIN_STAKE);
        } else if (total > MAX_STAKE) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryStakeTooLarge.selector, total);
        }
        bytes32 before = _fingerprint();
        if (expected.length != 0) {
            vm.expectRevert(expected);
            registry.admitChain{value: value}(a);
            assertEq(_fingerprint(), before, "state changed");
            _assertApplication(7, APPLICANT, deposit);
            return;
        }
        registry.admitChain{value: value}(a);
        assertEq(registry.chain(_id(7)).stake, total, "stake");
        assertEq(address(registry).balance, total, "registry balance");
        assertEq(address(this).balance, 0, "value spent");
        _assertApplication(7, address(0), 0);
    }

    /*//////////////////////////////////////////////////////////////
                          GOVERNANCE ROTATION
    //////////////////////////////////////////////////////////////*/

    function test_setChainGovernance_byGovernanceMovesSeatAndVotes() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_A);
        vm.warp(START + 10);
        bytes32 sec = _secHash(1);
        vm.expectEmit(address(seats));
        emit IClusterSeats.SeatRevoked(_id(1), GOV_A);
        vm.expectEmit(address(seats));
        emit IClusterSeats.SeatGranted(_id(1), GOV_B);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainGovernanceChanged(_id(1), GOV_A, GOV_B);
        vm.prank(GOV_A);
        registry.setChainGovernance(_id(1), GOV_B);

        assertEq(registry.chainGovernance(_id(1)), GOV_B, "governance");
        assertEq(seats.ownerOf(1), GOV_B, "seat holder");
        assertEq(seats.ownerOf(2), GOV_A, "other seat kept");
        assertEq(seats.seatCount(), 2, "seatCount unchanged");
        assertEq(seats.balanceOf(GOV_A), 1, "old holder's seats");
        assertEq(seats.balanceOf(GOV_B), 1, "new holder's seats");
        assertEq(seats.getVotes(GOV_A), 1, "old holder's votes");
        assertEq(seats.getVotes(GOV_B), 1, "new holder's votes");
        assertEq(seats.delegates(GOV_B), GOV_B, "new holder self-delegated");
        assertEq(_secHash(1), sec, "security configuration untouched");
        assertTrue(registry.chainStatus(_id(1)) == IValidiumRegistry.ChainStatus.Active, "status kept");
        // The votes moved at the rotation's timestamp; the total did not change.
        vm.warp(START + 11);
        assertEq(seats.getPastVotes(GOV_A, START + 9), 2, "old holder before");
        assertEq(seats.getPastVotes(GOV_A, START + 10), 1, "old holder after");
        assertEq(seats.getPastVotes(GOV_B, START + 9), 0, "new holder before");
        assertEq(seats.getPastVotes(GOV_B, START + 10), 1, "new holder after");
        assertEq(seats.getPastTotalSupply(START + 10), 2, "total votes");
    }

    /// @notice After a rotation the old governance can no longer announce, cancel or rotate; the new one can. A
    ///         pending change announced by the old governance is dropped by the rotation.
    function test_setChainGovernance_oldGovernanceLosesRights() public {
        _admit(1, 0, GOV_A);
        bytes32 h = _announce(1, _newSecurity(1, 1));
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeCancelled(_id(1), h);
        vm.prank(GOV_A);
        registry.setChainGovernance(_id(1), GOV_B);
        assertEq(_pending(1).changeHash, bytes32(0), "pending change dropped");

        bytes32 before = _fingerprint();
        vm.prank(GOV_A);
        vm.expectRevert(_notGovernance(1, GOV_A));
        registry.announceSecurityChange(_id(1), _newSecurity(1, 2));
        vm.prank(GOV_A);
        vm.expectRevert(_notGovernance(1, GOV_A));
        registry.cancelSecurityChange(_id(1));
        vm.prank(GOV_A);
        vm.expectRevert(_notGovernance(1, GOV_A));
        registry.setChainGovernance(_id(1), GOV_A);
        assertEq(_fingerprint(), before, "state changed");

        vm.prank(GOV_B);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNoPendingChange.selector, _id(1)));
        registry.cancelSecurityChange(_id(1));
        vm.prank(GOV_B);
        bytes32 h2 = registry.announceSecurityChange(_id(1), _newSecurity(1, 2));
        assertEq(h2, _expectedHash(1, 2, _newSecurity(1, 2)), "new governance's announcement");
        vm.prank(GOV_B);
        registry.setChainGovernance(_id(1), GOV_C);
        assertEq(seats.ownerOf(1), GOV_C, "rotated again by the new governance");
        assertEq(seats.getVotes(GOV_B), 0, "intermediate holder's vote gone");
    }

    /// @notice The approver role (the cluster, e.g. after a lost key) rotates any member's governance; the other
    ///         roles do not, and neither does an approver whose role was revoked.
    function test_setChainGovernance_byApprover() public {
        _admit(1, 0, GOV_A);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainGovernanceChanged(_id(1), GOV_A, GOV_C);
        registry.setChainGovernance(_id(1), GOV_C);
        assertEq(registry.chainGovernance(_id(1)), GOV_C, "governance");
        assertEq(seats.ownerOf(1), GOV_C, "seat holder");
        assertEq(seats.getVotes(GOV_A), 0, "old holder's vote");
        assertEq(seats.getVotes(GOV_C), 1, "new holder's vote");

        address registrar = address(0x5E6);
        registry.grantRole(registry.REGISTRAR_ROLE(), registrar);
        registry.grantRole(registry.STATUS_ROLE(), registrar);
        registry.revokeRole(registry.APPROVER_ROLE(), address(this));
        bytes32 before = _fingerprint();
        vm.prank(registrar);
        vm.expectRevert(_notGovernance(1, registrar));
        registry.setChainGovernance(_id(1), GOV_A);
        vm.expectRevert(_notGovernance(1, address(this)));
        registry.setChainGovernance(_id(1), GOV_A);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setChainGovernance_notGovernance() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_B);
        bytes32 before = _fingerprint();
        address[4] memory callers = [STRANGER, _op(1), GOV_B, GOV_C];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_notGovernance(1, callers[i]));
            registry.setChainGovernance(_id(1), callers[i]);
        }
        // The authorization is checked before the new address: a stranger naming zero is not governance.
        vm.prank(STRANGER);
        vm.expectRevert(_notGovernance(1, STRANGER));
        registry.setChainGovernance(_id(1), address(0));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setChainGovernance_zeroAddress() public {
        _admit(1, 0, GOV_A);
        bytes32 before = _fingerprint();
        vm.prank(GOV_A);
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.setChainGovernance(_id(1), address(0));
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.setChainGovernance(_id(1), address(0));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setChainGovernance_unknownOrEjected() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_B);
        registry.setChainStatus(_id(2), IValidiumRegistry.ChainStatus.Ejected);
        bytes32 before = _fingerprint();
        // Ejected: neither its old governance nor the approver can hand it a seat again.
        vm.prank(GOV_B);
        vm.expectRevert(_err(IValidiumRegistry.RegistryNotMember.selector, 2));
        registry.setChainGovernance(_id(2), GOV_C);
        vm.expectRevert(_err(IValidiumRegistry.RegistryNotMember.selector, 2));
        registry.setChainGovernance(_id(2), GOV_C);
        uint64[3] memory ids = [uint64(0), 3, type(uint64).max];
        for (uint256 i; i < ids.length; ++i) {
            vm.expectRevert(_err(IValidiumRegistry.RegistryUnknownChain.selector, ids[i]));
            registry.setChainGovernance(_id(ids[i]), GOV_C);
        }
        assertEq(_fingerprint(), before, "state changed");
        assertFalse(seats.hasSeat(_id(2)), "no seat for the ejected chain");
        assertEq(registry.chainGovernance(_id(2)), GOV_B, "governance of the ejected chain kept");
    }

    /// @notice A Frozen chain is a member: its governance can be rotated, and the seat stays while frozen.
    function test_setChainGovernance_frozenChain() public {
        _admit(1, 0, GOV_A);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Frozen);
        vm.prank(GOV_A);
        registry.setChainGovernance(_id(1), GOV_B);
        assertEq(seats.ownerOf(1), GOV_B, "seat holder");
        assertTrue(registry.chainStatus(_id(1)) == IValidiumRegistry.ChainStatus.Frozen, "still Frozen");
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Active);
        assertEq(seats.ownerOf(1), GOV_B, "seat kept on unfreeze");
    }

    /// @notice Rotating to the current governance or to a holder of another seat: the counts add up.
    function test_setChainGovernance_sameOrExistingHolder() public {
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_B);
        vm.prank(GOV_A);
        registry.setChainGovernance(_id(1), GOV_A);
        assertEq(seats.ownerOf(1), GOV_A, "same holder");
        assertEq(seats.getVotes(GOV_A), 1, "same vote");
        assertEq(seats.seatCount(), 2, "seatCount");
        vm.prank(GOV_A);
        registry.setChainGovernance(_id(1), GOV_B);
        assertEq(seats.balanceOf(GOV_B), 2, "two seats");
        assertEq(seats.getVotes(GOV_B), 2, "two votes");
        assertEq(seats.getVotes(GOV_A), 0, "no vote");
        assertEq(seats.seatCount(), 2, "seatCount");
    }

    /// @notice Ejection after a rotation burns the new holder's seat.
    function test_setChainGovernance_thenEjectBurnsNewHoldersSeat() public {
        _admit(1, 0, GOV_A);
        vm.prank(GOV_A);
        registry.setChainGovernance(_id(1), GOV_B);
        vm.expectEmit(address(seats));
        emit IClusterSeats.SeatRevoked(_id(1), GOV_B);
        registry.setChainStatus(_id(1), IValidiumRegistry.ChainStatus.Ejected);
        assertEq(seats.seatCount(), 0, "seatCount");
        assertEq(seats.getVotes(GOV_B), 0, "new holder's vote");
        assertEq(seats.getVotes(GOV_A), 0, "old holder's vote");
    }

    /// @notice registerChain's governance is the operator; rotating it leaves the operator (and its updates) alone.
    function test_setChainGovernance_registeredChainKeepsOperator() public {
        registry.registerChain{value: MIN_STAKE}(_id(5), _id(0), _op(5), address(verifier), _genesis(5));
        vm.prank(_op(5));
        registry.setChainGovernance(_id(5), GOV_A);
        assertEq(registry.chainGovernance(_id(5)), GOV_A, "governance");
        assertEq(registry.securityConfig(_id(5)).operator, _op(5), "operator kept");
        vm.roll(block.number + 1);
        UpdatePublicData memory d = _update(5, keccak256("r1"));
        vm.prank(_op(5));
        assertEq(registry.submitUpdate(d, ""), 1, "operator still submits");
        vm.prank(_op(5));
        vm.expectRevert(_notGovernance(5, _op(5)));
        registry.announceSecurityChange(_id(5), _newSecurity(5, 1));
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_views_unknownChain() public {
        _admit(1, 0, GOV_A);
        uint64[3] memory ids = [uint64(0), 2, type(uint64).max];
        for (uint256 i; i < ids.length; ++i) {
            bytes memory err = _err(IValidiumRegistry.RegistryUnknownChain.selector, ids[i]);
            vm.expectRevert(err);
            registry.securityConfig(_id(ids[i]));
            vm.expectRevert(err);
            registry.pendingSecurityChange(_id(ids[i]));
            vm.expectRevert(err);
            registry.chainGovernance(_id(ids[i]));
            assertTrue(registry.chainStatus(_id(ids[i])) == IValidiumRegistry.ChainStatus.None, "status None");
            assertFalse(seats.hasSeat(_id(ids[i])), "no seat");
        }
    }

    function test_views_seatsAndConfig() public view {
        assertEq(address(registry.clusterConfig()), address(config), "clusterConfig");
        assertEq(seats.registry(), address(registry), "seats' registry");
        IValidiumRegistry.Limits memory lim = registry.limits();
        assertEq(lim.maxFanOut, 4, "maxFanOut");
        assertEq(lim.maxDepth, 4, "maxDepth");
        assertEq(lim.minStake, MIN_STAKE, "minStake");
    }
}

/// @title RegistryMembershipFuzzTest
/// @notice Hostile inputs against the security-change, admission-stake and governance-rotation entry points, on a
///         fixed cluster: chain 1 (GOV_A, Active, approved change at START), chain 2 (GOV_B, Frozen, announced
///         change), chain 3 (GOV_A, Ejected), chain 4 (GOV_B, Active, no change), and APPLICANT's admission stake
///         APPLIED for chain 5. Each call either has the outcome the documented check order predicts or reverts
///         with exactly the predicted error and changes nothing.
contract RegistryMembershipFuzzTest is MembershipTestBase {
    /// @dev APPLICANT's admission stake for chain 5, deposited in setUp.
    uint256 internal constant APPLIED = 0.5 ether;

    bytes32 internal hash1;
    bytes32 internal hash2;

    function setUp() public override {
        super.setUp();
        _admit(1, 0, GOV_A);
        _admit(2, 0, GOV_B);
        _admit(3, 0, GOV_A);
        _admit(4, 0, GOV_B);
        hash1 = _announceAndApprove(1, 1);
        hash2 = _announce(2, _newSecurity(2, 1));
        _announce(3, _newSecurity(3, 1));
        registry.setChainStatus(_id(2), IValidiumRegistry.ChainStatus.Frozen);
        registry.setChainStatus(_id(3), IValidiumRegistry.ChainStatus.Ejected);
        _deposit(APPLICANT, 5, APPLIED);
    }

    /// @dev A chain id: one of 1..4 (three times in four) or the raw fuzzed value.
    function _pick(uint64 raw, uint8 mode) internal pure returns (uint64) {
        return mode % 4 == 0 ? raw : uint64(1 + ((mode >> 2) % 4));
    }

    function _gov(uint64 id) internal pure returns (address) {
        return id == 1 || id == 3 ? GOV_A : GOV_B;
    }

    /// @dev The error every governance-gated call gives first: unknown chain, then ejected chain.
    function _membershipError(uint64 id) internal pure returns (bytes memory) {
        if (id == 0 || id > 4) return _err(IValidiumRegistry.RegistryUnknownChain.selector, id);
        if (id == 3) return _err(IValidiumRegistry.RegistryNotMember.selector, id);
        return "";
    }

    function testFuzz_announceSecurityChange_hostile(address caller, uint64 rawId, uint8 mode) public {
        vm.assume(caller != address(vm));
        uint64 id = _pick(rawId, mode);
        if ((mode >> 4) % 2 == 0) caller = _gov(id);
        IValidiumRegistry.SecurityConfig memory cfg = _newSecurity(id, 7);
        bytes memory expected = _membershipError(id);
        if (expected.length == 0 && caller != _gov(id)) expected = _notGovernance(id, caller);
        bytes32 before = _fingerprint();
        bytes32 sec = expected.length == 0 ? _secHash(id) : bytes32(0);
        vm.prank(caller);
        if (expected.length != 0) {
            vm.expectRevert(expected);
            registry.announceSecurityChange(_id(id), cfg);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        bytes32 h = registry.announceSecurityChange(_id(id), cfg);
        uint256 nonce = id == 4 ? 1 : 2;
        assertEq(h, _expectedHash(id, nonce, cfg), "changeHash");
        assertEq(_pending(id).changeHash, h, "pending");
        assertEq(_pending(id).approvedAt, 0, "not approved");
        assertEq(_secHash(id), sec, "security unchanged");
    }

    function testFuzz_approveSecurityChange_hostileHash(bytes32 h, uint64 rawId, uint8 mode) public {
        uint64 id = _pick(rawId, mode);
        uint256 hm = (mode >> 4) % 4;
        if (hm == 0) h = hash1;
        else if (hm == 1) h = hash2;
        bytes memory expected = _membershipError(id);
        if (expected.length == 0) {
            bytes32 pending =
                id == 1
                    ? hash1
                    : id == 2
                        ? hash2
                        : bytes32(0);
            if (pending == bytes32(0)) {
                expected = _err(IValidiumRegistry.RegistryNoPendingChange.selector, id);
            } else if (h != pending) {
                expected = abi.encodeWithSelector(
                    IValidiumRegistry.RegistryChangeMismatch.selector,
                    _id(id),
                    pending,
                    h
                );
            } else if (id == 1) {
                expected = abi.encodeWithSelector(IValidiumRegistry.RegistryChangeAlreadyApproved.selector, _id(id), h);
            }
        }
        vm.warp(START + 1 hours);
        bytes32 before = _fingerprint();
        if (expected.length != 0) {
            vm.expectRevert(expected);
            registry.approveSecurityChange(_id(id), h);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        registry.approveSecurityChange(_id(id), h);
        assertEq(_pending(id).approvedAt, START + 1 hours, "approvedAt");
        assertEq(_pending(id).activatesAt, START + 1 hours + UPGRADE_DELAY, "activatesAt");
    }

    function testFuzz_approveSecurityChange_hostileCaller(address caller) public {
        vm.assume(caller != address(this) && caller != address(vm));
        bytes32 role = registry.APPROVER_ROLE();
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(_unauthorized(caller, role));
        registry.approveSecurityChange(_id(2), hash2);
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_cancelSecurityChange_hostile(address caller, uint64 rawId, uint8 mode) public {
        vm.assume(caller != address(vm));
        uint64 id = _pick(rawId, mode);
        uint256 cm = (mode >> 4) % 4;
        if (cm == 0) caller = _gov(id);
        else if (cm == 1) caller = address(this);
        bytes memory expected = _membershipError(id);
        if (expected.length == 0 && caller != _gov(id) && caller != address(this)) {
            expected = _notGovernance(id, caller);
        }
        if (expected.length == 0 && id == 4) expected = _err(IValidiumRegistry.RegistryNoPendingChange.selector, id);
        bytes32 before = _fingerprint();
        bytes32 sec = expected.length == 0 ? _secHash(id) : bytes32(0);
        vm.prank(caller);
        if (expected.length != 0) {
            vm.expectRevert(expected);
            registry.cancelSecurityChange(_id(id));
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        registry.cancelSecurityChange(_id(id));
        assertEq(_pending(id).changeHash, bytes32(0), "cleared");
        assertEq(_secHash(id), sec, "security unchanged");
    }

    /// @notice The approved change of chain 1 activates, for any caller, exactly from approval + UpgradeDelay.
    function testFuzz_activateSecurityChange_hostileTime(uint256 dt, address caller) public {
        vm.assume(caller != address(vm));
        dt = bound(dt, 0, 3 * UPGRADE_DELAY);
        vm.warp(START + dt);
        bytes32 before = _fingerprint();
        vm.prank(caller);
        if (dt < UPGRADE_DELAY) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryChangeNotReady.selector,
                    _id(1),
                    uint64(START + UPGRADE_DELAY)
                )
            );
            registry.activateSecurityChange(_id(1));
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        registry.activateSecurityChange(_id(1));
        assertEq(_secHash(1), keccak256(abi.encode(_newSecurity(1, 1))), "activated");
    }

    function testFuzz_activateSecurityChange_hostileChain(uint64 rawId, address caller, uint8 mode) public {
        vm.assume(caller != address(vm));
        uint64 id = _pick(rawId, mode);
        bytes memory expected = _membershipError(id);
        if (expected.length == 0) {
            if (id == 1) {
                expected = abi.encodeWithSelector(
                    IValidiumRegistry.RegistryChangeNotReady.selector,
                    _id(1),
                    uint64(START + UPGRADE_DELAY)
                );
            } else if (id == 2) {
                expected = abi.encodeWithSelector(IValidiumRegistry.RegistryChangeNotApproved.selector, _id(2), hash2);
            } else {
                expected = _err(IValidiumRegistry.RegistryNoPendingChange.selector, id);
            }
        }
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(expected);
        registry.activateSecurityChange(_id(id));
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                  ADMISSION STAKES AND GOVERNANCE ROTATION
    //////////////////////////////////////////////////////////////*/

    /// @dev A chain id for the admission-stake entry points: 0, a registered chain (1..4), chain 5 (APPLICANT's
    ///      application of APPLIED), the free id 6, or the raw fuzzed value.
    function _pickApplication(uint64 raw, uint8 mode) internal pure returns (uint64) {
        uint256 m = mode % 8;
        if (m == 0) return 0;
        if (m < 3) return uint64(1 + ((mode >> 3) % 4));
        if (m < 5) return 5;
        if (m == 5) return 6;
        return raw;
    }

    /// @dev The application set up for `id`: APPLICANT's APPLIED on chain 5, nothing elsewhere.
    function _setUpApplication(uint64 id) internal pure returns (address applicant, uint256 amount) {
        return id == 5 ? (APPLICANT, APPLIED) : (address(0), 0);
    }

    /// @notice Random callers, chain ids and amounts (zero, small, around type(uint96).max on top of an existing
    ///         application, up to 2^128): the documented check order predicts the outcome, and a rejection
    ///         changes nothing.
    function testFuzz_depositAdmissionStake_hostile(
        address caller,
        uint64 rawId,
        uint256 amount,
        uint8 mode,
        uint8 amountMode
    ) public {
        vm.assume(caller != address(vm) && caller != address(registry));
        uint64 id = _pickApplication(rawId, mode);
        if ((mode >> 5) % 2 == 0) caller = APPLICANT;
        uint256 am = amountMode % 4;
        if (am == 0) amount = 0;
        else if (am == 1) amount = bound(amount, 1, 10 ether);
        else if (am == 2) amount = MAX_STAKE - APPLIED - 1 + bound(amount, 0, 2);
        else amount = bound(amount, 0, 1 << 128);
        (address prevApplicant, uint256 prevAmount) = _setUpApplication(id);
        _assertApplication(id, prevApplicant, prevAmount);
        bytes memory expected;
        if (id == 0) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryReservedChainId.selector);
        } else if (id <= 4) {
            expected = _err(IValidiumRegistry.RegistryChainExists.selector, id);
        } else if (amount == 0) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryZeroDeposit.selector);
        } else if (prevApplicant != address(0) && prevApplicant != caller) {
            expected = abi.encodeWithSelector(
                IValidiumRegistry.RegistryApplicationTaken.selector,
                _id(id),
                prevApplicant
            );
        } else if (prevAmount + amount > MAX_STAKE) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryStakeTooLarge.selector, prevAmount + amount);
        }
        vm.deal(caller, amount);
        bytes32 before = _fingerprint();
        uint256 balance = address(registry).balance;
        if (expected.length != 0) {
            vm.prank(caller);
            vm.expectRevert(expected);
            registry.depositAdmissionStake{value: amount}(_id(id));
            assertEq(_fingerprint(), before, "state changed");
            _assertApplication(id, prevApplicant, prevAmount);
            assertEq(caller.balance, amount, "caller balance");
            return;
        }
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.AdmissionStakeDeposited(_id(id), caller, amount, prevAmount + amount);
        vm.prank(caller);
        registry.depositAdmissionStake{value: amount}(_id(id));
        _assertApplication(id, caller, prevAmount + amount);
        assertEq(address(registry).balance, balance + amount, "registry balance");
        assertEq(caller.balance, 0, "caller paid");
        assertTrue(registry.chainStatus(_id(id)) == IValidiumRegistry.ChainStatus.None, "nothing registered");
        assertEq(seats.seatCount(), 3, "seatCount");
    }

    /// @notice Random callers (the zero address included) and chain ids: only APPLICANT, on chain 5, gets its
    ///         APPLIED back; everything else is RegistryNoApplication(chainId, caller) and changes nothing.
    function testFuzz_withdrawAdmissionStake_hostile(address caller, uint64 rawId, uint8 mode) public {
        vm.assume(caller != address(vm));
        uint64 id = _pickApplication(rawId, mode);
        uint256 cm = (mode >> 5) % 4;
        if (cm == 0) caller = APPLICANT;
        else if (cm == 1) caller = address(0);
        (address prevApplicant, uint256 prevAmount) = _setUpApplication(id);
        bytes32 before = _fingerprint();
        if (prevApplicant != caller || prevAmount == 0) {
            vm.prank(caller);
            vm.expectRevert(_noApplication(id, caller));
            registry.withdrawAdmissionStake(_id(id));
            assertEq(_fingerprint(), before, "state changed");
            _assertApplication(id, prevApplicant, prevAmount);
            return;
        }
        uint256 balance = address(registry).balance;
        uint256 callerBalance = caller.balance;
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.AdmissionStakeWithdrawn(_id(id), caller, prevAmount);
        vm.prank(caller);
        registry.withdrawAdmissionStake(_id(id));
        _assertApplication(id, address(0), 0);
        assertEq(address(registry).balance, balance - prevAmount, "registry balance");
        assertEq(caller.balance, callerBalance + prevAmount, "caller refunded");
    }

    /// @notice Random callers, chain ids and new governance addresses (zero, the current one, another holder,
    ///         anything): unknown, then ejected, then not the governance nor the approver, then zero; otherwise
    ///         the seat and its vote move to the new address and nothing else changes.
    function testFuzz_setChainGovernance_hostile(address caller, address newGov, uint64 rawId, uint8 mode) public {
        vm.assume(caller != address(vm));
        uint64 id = _pick(rawId, mode);
        uint256 cm = (mode >> 4) % 4;
        if (cm == 0) caller = _gov(id);
        else if (cm == 1) caller = address(this);
        uint256 gm = (mode >> 6) % 4;
        if (gm == 0) newGov = address(0);
        else if (gm == 1) newGov = GOV_C;
        else if (gm == 2) newGov = id == 1 || id == 3 ? GOV_B : GOV_A;
        bytes memory expected = _membershipError(id);
        if (expected.length == 0 && caller != _gov(id) && caller != address(this)) {
            expected = _notGovernance(id, caller);
        }
        if (expected.length == 0 && newGov == address(0)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryZeroAddress.selector);
        }
        bytes32 before = _fingerprint();
        if (expected.length != 0) {
            vm.prank(caller);
            vm.expectRevert(expected);
            registry.setChainGovernance(_id(id), newGov);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        address previous = _gov(id);
        uint256 previousVotes = seats.getVotes(previous);
        uint256 newVotes = seats.getVotes(newGov);
        bytes32 sec = _secHash(id);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainGovernanceChanged(_id(id), previous, newGov);
        vm.prank(caller);
        registry.setChainGovernance(_id(id), newGov);
        assertEq(registry.chainGovernance(_id(id)), newGov, "governance");
        assertEq(seats.ownerOf(id), newGov, "seat holder");
        assertEq(seats.delegates(newGov), newGov, "self-delegated");
        assertEq(seats.seatCount(), 3, "seatCount");
        if (newGov == previous) {
            assertEq(seats.getVotes(previous), previousVotes, "votes unchanged");
        } else {
            assertEq(seats.getVotes(previous), previousVotes - 1, "old holder's votes");
            assertEq(seats.getVotes(newGov), newVotes + 1, "new holder's votes");
            vm.prank(previous);
            vm.expectRevert(_notGovernance(id, previous));
            registry.cancelSecurityChange(_id(id));
        }
        assertEq(_secHash(id), sec, "security configuration unchanged");
        assertEq(registry.pendingSecurityChange(_id(id)).changeHash, bytes32(0), "pending change dropped");
    }
}
