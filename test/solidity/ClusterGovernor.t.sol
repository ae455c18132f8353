// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

import {ClusterConfig} from "../../contracts/governance/ClusterConfig.sol";
import {ClusterGovernor} from "../../contracts/governance/ClusterGovernor.sol";
import {ClusterSeats} from "../../contracts/governance/ClusterSeats.sol";
import {ClusterTimelock} from "../../contracts/governance/ClusterTimelock.sol";
import {IClusterConfig} from "../../contracts/interfaces/IClusterConfig.sol";
import {IValidiumRegistry} from "../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../contracts/registry/ValidiumRegistry.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";

import {Test} from "./utils/Test.sol";
import {AcceptingVerifier} from "./utils/Verifiers.sol";

/// @title ClusterGovernorTest
/// @notice The whole governance stack end to end: ClusterConfig, ValidiumRegistry (with its ClusterSeats),
///         ClusterTimelock (1 day) and ClusterGovernor (voting delay 1 s, period 1 day, threshold 1 seat, quorum
///         50 %), with three founding members admitted before every role is handed to the timelock. Covers a
///         full admission (propose → vote → queue → execute, refused before the timelock delay), an ejection
///         and a member's security upgrade (announce → approval by proposal → activation after UpgradeDelay),
///         and the rejections: non-member proposals, double votes, zero-weight votes of non-members (and of
///         seats minted after the snapshot), a missed quorum, and direct calls by members that would bypass the
///         vote. The clock is the timestamp (vm.warp).
contract ClusterGovernorTest is Test {
    ClusterConfig internal config;
    ValidiumRegistry internal registry;
    ClusterSeats internal seats;
    ClusterTimelock internal timelock;
    ClusterGovernor internal governor;
    AcceptingVerifier internal verifier;

    address internal constant VOTER1 = address(0x7001);
    address internal constant VOTER2 = address(0x7002);
    address internal constant VOTER3 = address(0x7003);
    address internal constant VOTER4 = address(0x7004);
    address internal constant GUARDIAN = address(0x6A4D);
    address internal constant STRANGER = address(0xBAD);
    uint256 internal constant MIN_STAKE = 1 ether;
    uint256 internal constant UPGRADE_DELAY = 3 days;
    uint256 internal constant MIN_DELAY = 1 days;
    uint256 internal constant VOTING_PERIOD = 1 days;
    uint256 internal constant START = 1_700_000_000;

    uint8 internal constant AGAINST = 0;
    uint8 internal constant FOR = 1;
    uint8 internal constant ABSTAIN = 2;

    /// @dev One proposal's arguments.
    struct Proposal {
        address[] targets;
        uint256[] values;
        bytes[] calldatas;
        string description;
    }

    function setUp() public {
        vm.warp(START);
        verifier = new AcceptingVerifier();
        config = new ClusterConfig(address(this), GUARDIAN, _params());
        registry = new ValidiumRegistry(address(this), config);
        seats = ClusterSeats(address(registry.seats()));
        address[] memory executors = new address[](1); // address(0): anyone may execute a ready operation
        timelock = new ClusterTimelock(MIN_DELAY, new address[](0), executors, address(this));
        governor = new ClusterGovernor(IVotes(address(seats)), timelock, 1, uint32(VOTING_PERIOD), 1, 50);
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));

        // Founding members, admitted by the deployer before it hands over.
        vm.deal(address(this), 10 ether);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        _admitDirect(1, VOTER1);
        _admitDirect(2, VOTER2);
        _admitDirect(3, VOTER3);

        bytes32[4] memory roles = [
            registry.REGISTRAR_ROLE(),
            registry.STATUS_ROLE(),
            registry.APPROVER_ROLE(),
            registry.DEFAULT_ADMIN_ROLE()
        ];
        for (uint256 i; i < roles.length; ++i) registry.grantRole(roles[i], address(timelock));
        registry.renounceRole(registry.REGISTRAR_ROLE(), address(this));
        registry.renounceRole(registry.DEFAULT_ADMIN_ROLE(), address(this));
        config.grantRole(config.DEFAULT_ADMIN_ROLE(), address(timelock));
        config.renounceRole(config.DEFAULT_ADMIN_ROLE(), address(this));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));

        // Votes count from the timestamp after the mint.
        vm.warp(START + 1);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _params() internal pure returns (IClusterConfig.Params memory) {
        return
            IClusterConfig.Params({
                forcedDeadline: 1 days,
                forcedFee: 0,
                forcedPerBlock: 16,
                electionVotingPeriod: 3 days,
                electionBond: 0,
                maxFanOut: 8,
                maxDepth: 4,
                minStake: MIN_STAKE,
                upgradeDelay: UPGRADE_DELAY,
                pauseDuration: 7 days,
                delta: 1 hours
            });
    }

    function _id(uint64 raw) internal pure returns (ChainId) {
        return ChainId.wrap(raw);
    }

    function _security(uint64 id, uint256 salt) internal view returns (IValidiumRegistry.SecurityConfig memory) {
        return
            IValidiumRegistry.SecurityConfig({
                operator: address(uint160(uint256(keccak256(abi.encode("operator", id, salt))))),
                verifier: address(verifier),
                escapeVerifier: address(0),
                codeHash: keccak256(abi.encode("code", id, salt)),
                configHash: keccak256(abi.encode("config", id, salt))
            });
    }

    function _admission(uint64 id, address gov) internal view returns (IValidiumRegistry.Admission memory) {
        return
            IValidiumRegistry.Admission({
                chainId: _id(id),
                parent: _id(0),
                governance: gov,
                security: _security(id, 0),
                genesisRoot: keccak256(abi.encode("genesis", id))
            });
    }

    function _admitDirect(uint64 id, address gov) internal {
        registry.admitChain{value: MIN_STAKE}(_admission(id, gov));
    }

    /// @dev A one-call proposal.
    function _single(
        address target,
        uint256 value,
        bytes memory data,
        string memory description
    ) internal pure returns (Proposal memory p) {
        p.targets = new address[](1);
        p.values = new uint256[](1);
        p.calldatas = new bytes[](1);
        p.targets[0] = target;
        p.values[0] = value;
        p.calldatas[0] = data;
        p.description = description;
    }

    function _admissionProposal(uint64 id, address gov) internal view returns (Proposal memory) {
        return
            _single(
                address(registry),
                MIN_STAKE,
                abi.encodeCall(IValidiumRegistry.admitChain, (_admission(id, gov))),
                string.concat("Admit chain ", _digit(id))
            );
    }

    function _digit(uint64 id) internal pure returns (string memory) {
        return string(abi.encodePacked(bytes1(uint8(48 + (id % 10)))));
    }

    function _propose(address proposer, Proposal memory p) internal returns (uint256 proposalId) {
        vm.prank(proposer);
        proposalId = governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function _vote(uint256 proposalId, address voter, uint8 support) internal returns (uint256 weight) {
        vm.prank(voter);
        weight = governor.castVote(proposalId, support);
    }

    function _descHash(Proposal memory p) internal pure returns (bytes32) {
        return keccak256(bytes(p.description));
    }

    function _queue(Proposal memory p) internal {
        governor.queue(p.targets, p.values, p.calldatas, _descHash(p));
    }

    function _execute(Proposal memory p) internal {
        governor.execute(p.targets, p.values, p.calldatas, _descHash(p));
    }

    /// @dev The timelock operation id of a proposal queued by the governor.
    function _operationId(Proposal memory p) internal view returns (bytes32) {
        bytes32 salt = bytes32(bytes20(address(governor))) ^ _descHash(p);
        return timelock.hashOperationBatch(p.targets, p.values, p.calldatas, bytes32(0), salt);
    }

    function _warpToVoting(uint256 proposalId) internal {
        vm.warp(governor.proposalSnapshot(proposalId) + 1);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Active, "Active");
    }

    function _warpPastDeadline(uint256 proposalId) internal {
        vm.warp(governor.proposalDeadline(proposalId) + 1);
    }

    /// @dev Proposes `p` as VOTER1, votes For with VOTER1 and VOTER2, queues it, waits the timelock delay and
    ///      executes it. Returns the proposal id.
    function _pass(Proposal memory p) internal returns (uint256 proposalId) {
        proposalId = _propose(VOTER1, p);
        _warpToVoting(proposalId);
        _vote(proposalId, VOTER1, FOR);
        _vote(proposalId, VOTER2, FOR);
        _warpPastDeadline(proposalId);
        _queue(p);
        vm.warp(governor.proposalEta(proposalId));
        _execute(p);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Executed, "Executed");
    }

    /// @dev The applicant funds the timelock with the stake its admission proposal will carry.
    function _fundTimelock() internal {
        vm.deal(STRANGER, MIN_STAKE);
        vm.prank(STRANGER);
        (bool ok, ) = address(timelock).call{value: MIN_STAKE}("");
        assertTrue(ok, "timelock accepts ether");
    }

    function _unexpectedState(
        uint256 proposalId,
        IGovernor.ProposalState current,
        IGovernor.ProposalState expected
    ) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                proposalId,
                current,
                bytes32(uint256(1) << uint8(expected))
            );
    }

    /*//////////////////////////////////////////////////////////////
                                 SETUP
    //////////////////////////////////////////////////////////////*/

    function test_setUp_rolesHandedToTimelock() public view {
        bytes32[4] memory roles = [
            registry.REGISTRAR_ROLE(),
            registry.STATUS_ROLE(),
            registry.APPROVER_ROLE(),
            registry.DEFAULT_ADMIN_ROLE()
        ];
        for (uint256 i; i < roles.length; ++i) {
            assertTrue(registry.hasRole(roles[i], address(timelock)), "timelock holds the registry role");
            assertFalse(registry.hasRole(roles[i], address(this)), "deployer kept a registry role");
        }
        assertTrue(config.hasRole(config.DEFAULT_ADMIN_ROLE(), address(timelock)), "timelock is config admin");
        assertFalse(config.hasRole(config.DEFAULT_ADMIN_ROLE(), address(this)), "deployer kept config admin");
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(this)), "deployer kept timelock admin");
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)), "timelock self-admin");
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)), "governor proposes");
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(governor)), "governor cancels");
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)), "anyone executes");
        assertEq(address(governor.token()), address(seats), "token");
        assertEq(address(governor.timelock()), address(timelock), "timelock");
        assertEq(bytes(governor.CLOCK_MODE()), bytes("mode=timestamp"), "clock mode");
        assertEq(governor.clock(), block.timestamp, "clock");
        assertEq(governor.votingDelay(), 1, "voting delay");
        assertEq(governor.votingPeriod(), VOTING_PERIOD, "voting period");
        assertEq(governor.proposalThreshold(), 1, "threshold");
        assertEq(governor.quorum(START), 1, "quorum of 3 seats at 50 %");
        assertEq(seats.seatCount(), 3, "founders");
        assertEq(seats.getVotes(VOTER1), 1, "founder vote");
    }

    /*//////////////////////////////////////////////////////////////
                               ADMISSION
    //////////////////////////////////////////////////////////////*/

    function test_admitChain_fullLifecycle() public {
        _fundTimelock();
        Proposal memory p = _admissionProposal(4, VOTER4);
        uint256 proposalId = _propose(VOTER1, p);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Pending, "Pending");
        assertEq(governor.proposalSnapshot(proposalId), START + 2, "snapshot");

        _warpToVoting(proposalId);
        assertEq(_vote(proposalId, VOTER1, FOR), 1, "VOTER1 weight");
        assertEq(_vote(proposalId, VOTER2, FOR), 1, "VOTER2 weight");
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(proposalId);
        assertEq(forVotes, 2, "for");
        assertEq(against + abstain, 0, "against + abstain");

        _warpPastDeadline(proposalId);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Succeeded, "Succeeded");
        _queue(p);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Queued, "Queued");
        uint256 eta = governor.proposalEta(proposalId);
        assertEq(eta, block.timestamp + MIN_DELAY, "eta");

        bytes memory notReady = abi.encodeWithSelector(
            TimelockController.TimelockUnexpectedOperationState.selector,
            _operationId(p),
            bytes32(uint256(1) << uint8(TimelockController.OperationState.Ready))
        );
        vm.expectRevert(notReady);
        _execute(p);
        vm.warp(eta - 1);
        vm.expectRevert(notReady);
        _execute(p);
        assertEq(registry.chainCount(), 3, "not admitted before the delay");

        vm.warp(eta);
        _execute(p);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Executed, "Executed");
        assertTrue(registry.chainStatus(_id(4)) == IValidiumRegistry.ChainStatus.Active, "admitted");
        assertEq(registry.chainGovernance(_id(4)), VOTER4, "governance");
        assertEq(seats.ownerOf(4), VOTER4, "seat");
        assertEq(seats.seatCount(), 4, "seat count");
        assertEq(registry.chain(_id(4)).stake, MIN_STAKE, "stake");
        assertEq(address(timelock).balance, 0, "timelock spent the stake");
        assertEq(address(registry).balance, 4 * MIN_STAKE, "registry holds the stakes");
    }

    /// @notice A seat minted after a proposal's snapshot carries no weight in it.
    function test_castVote_seatAfterSnapshotHasNoWeight() public {
        _fundTimelock();
        Proposal memory admit = _admissionProposal(4, VOTER4);
        uint256 admitId = _propose(VOTER1, admit);
        _warpToVoting(admitId);
        _vote(admitId, VOTER1, FOR);
        _vote(admitId, VOTER2, FOR);
        _warpPastDeadline(admitId);
        _queue(admit);

        Proposal memory other = _single(
            address(config),
            0,
            abi.encodeCall(IClusterConfig.setParam, (uint256(IClusterConfig.Param.MaxDepth), 5)),
            "Max depth 5"
        );
        uint256 otherId = _propose(VOTER2, other);
        vm.warp(governor.proposalEta(admitId));
        _execute(admit);
        assertEq(seats.getVotes(VOTER4), 1, "new member votes from now on");
        assertTrue(governor.state(otherId) == IGovernor.ProposalState.Active, "other still open");
        assertEq(_vote(otherId, VOTER4, FOR), 0, "no weight at the earlier snapshot");
        (, uint256 forVotes, ) = governor.proposalVotes(otherId);
        assertEq(forVotes, 0, "nothing counted");
    }

    /*//////////////////////////////////////////////////////////////
                               REJECTIONS
    //////////////////////////////////////////////////////////////*/

    function test_propose_nonMember() public {
        Proposal memory p = _admissionProposal(4, STRANGER);
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, STRANGER, 0, 1));
        governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function testFuzz_propose_nonMember(address proposer) public {
        vm.assume(proposer != VOTER1 && proposer != VOTER2 && proposer != VOTER3 && proposer != address(vm));
        Proposal memory p = _admissionProposal(4, proposer);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, proposer, 0, 1));
        governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function test_castVote_twice() public {
        uint256 proposalId = _propose(VOTER1, _admissionProposal(4, VOTER4));
        _warpToVoting(proposalId);
        _vote(proposalId, VOTER1, FOR);
        vm.prank(VOTER1);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, VOTER1));
        governor.castVote(proposalId, AGAINST);
        (uint256 against, uint256 forVotes, ) = governor.proposalVotes(proposalId);
        assertEq(forVotes, 1, "first vote kept");
        assertEq(against, 0, "second vote not counted");
    }

    function test_castVote_beforeVotingStarts() public {
        uint256 proposalId = _propose(VOTER1, _admissionProposal(4, VOTER4));
        vm.prank(VOTER1);
        vm.expectRevert(_unexpectedState(proposalId, IGovernor.ProposalState.Pending, IGovernor.ProposalState.Active));
        governor.castVote(proposalId, FOR);
    }

    function test_castVote_nonMemberHasNoWeight() public {
        Proposal memory p = _admissionProposal(4, VOTER4);
        uint256 proposalId = _propose(VOTER1, p);
        _warpToVoting(proposalId);
        assertEq(_vote(proposalId, STRANGER, FOR), 0, "stranger's weight");
        assertEq(_vote(proposalId, VOTER4, FOR), 0, "applicant's weight");
        assertEq(_vote(proposalId, address(this), FOR), 0, "deployer's weight");
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(proposalId);
        assertEq(against + forVotes + abstain, 0, "nothing counted");
        _warpPastDeadline(proposalId);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Defeated, "non-members reach no quorum");
        vm.expectRevert(
            _unexpectedState(proposalId, IGovernor.ProposalState.Defeated, IGovernor.ProposalState.Succeeded)
        );
        _queue(p);
    }

    function testFuzz_castVote_nonMemberHasNoWeight(address voter, uint8 support) public {
        vm.assume(voter != VOTER1 && voter != VOTER2 && voter != VOTER3 && voter != address(vm));
        support %= 3;
        uint256 proposalId = _propose(VOTER1, _admissionProposal(4, VOTER4));
        _warpToVoting(proposalId);
        assertEq(_vote(proposalId, voter, support), 0, "weight");
        assertTrue(governor.hasVoted(proposalId, voter), "recorded as voted");
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(proposalId);
        assertEq(against + forVotes + abstain, 0, "nothing counted");
    }

    /// @notice With 4 seats the quorum is 2: a single For vote, unopposed, is Defeated.
    function test_quorum_notReachedIsDefeated() public {
        _fundTimelock();
        _pass(_admissionProposal(4, VOTER4));
        vm.warp(block.timestamp + 1);
        Proposal memory p = _single(
            address(config),
            0,
            abi.encodeCall(IClusterConfig.setParam, (uint256(IClusterConfig.Param.MaxDepth), 5)),
            "Max depth 5"
        );
        uint256 proposalId = _propose(VOTER4, p);
        _warpToVoting(proposalId);
        assertEq(governor.quorum(governor.proposalSnapshot(proposalId)), 2, "quorum of 4 seats");
        _vote(proposalId, VOTER4, FOR);
        _warpPastDeadline(proposalId);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Defeated, "Defeated");
        vm.expectRevert(
            _unexpectedState(proposalId, IGovernor.ProposalState.Defeated, IGovernor.ProposalState.Succeeded)
        );
        _queue(p);
        assertEq(config.param(uint256(IClusterConfig.Param.MaxDepth)), 4, "unchanged");
    }

    /// @notice Quorum rounds down (OpenZeppelin's GovernorVotesQuorumFraction): with 3 seats at 50 % it is 1,
    ///         so a single unopposed For vote passes.
    function test_quorum_roundsDownWithThreeSeats() public {
        uint256 proposalId = _propose(VOTER1, _admissionProposal(4, VOTER4));
        _warpToVoting(proposalId);
        assertEq(governor.quorum(governor.proposalSnapshot(proposalId)), 1, "quorum");
        _vote(proposalId, VOTER1, FOR);
        _warpPastDeadline(proposalId);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Succeeded, "one vote of three suffices");
    }

    function test_quorum_onlyAgainstIsDefeated() public {
        uint256 proposalId = _propose(VOTER1, _admissionProposal(4, VOTER4));
        _warpToVoting(proposalId);
        _vote(proposalId, VOTER3, AGAINST);
        _warpPastDeadline(proposalId);
        assertTrue(governor.state(proposalId) == IGovernor.ProposalState.Defeated, "Defeated");
    }

    /// @notice No member (nor the deployer, who handed everything over) can act without a vote.
    function test_directCall_memberCannotBypassVote() public {
        vm.deal(VOTER1, MIN_STAKE);
        IValidiumRegistry.Admission memory a = _admission(4, VOTER1);
        bytes32 registrar = registry.REGISTRAR_ROLE();
        bytes32 status = registry.STATUS_ROLE();
        bytes32 approver = registry.APPROVER_ROLE();
        bytes32 proposer = timelock.PROPOSER_ROLE();
        address[2] memory callers = [VOTER1, address(this)];
        for (uint256 i; i < callers.length; ++i) {
            address c = callers[i];
            vm.prank(c);
            vm.expectRevert(_unauthorized(c, registrar));
            registry.admitChain(a);
            vm.prank(c);
            vm.expectRevert(_unauthorized(c, registrar));
            registry.registerChain(_id(5), _id(0), c, address(verifier), bytes32(0));
            vm.prank(c);
            vm.expectRevert(_unauthorized(c, status));
            registry.setChainStatus(_id(2), IValidiumRegistry.ChainStatus.Ejected);
            vm.prank(c);
            vm.expectRevert(_unauthorized(c, approver));
            registry.approveSecurityChange(_id(1), bytes32(0));
            vm.prank(c);
            vm.expectRevert(_unauthorized(c, bytes32(0)));
            config.setParam(uint256(IClusterConfig.Param.UpgradeDelay), 1 hours);
            vm.prank(c);
            vm.expectRevert(_unauthorized(c, proposer));
            timelock.schedule(address(registry), 0, "", bytes32(0), bytes32(0), MIN_DELAY);
        }
        assertEq(registry.chainCount(), 3, "no chain added");
        assertTrue(registry.chainStatus(_id(2)) == IValidiumRegistry.ChainStatus.Active, "chain 2 untouched");
    }

    function _unauthorized(address caller, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role);
    }

    /*//////////////////////////////////////////////////////////////
                          EJECTION AND UPGRADE
    //////////////////////////////////////////////////////////////*/

    function test_setChainStatus_ejectionByProposal() public {
        _pass(
            _single(
                address(registry),
                0,
                abi.encodeCall(IValidiumRegistry.setChainStatus, (_id(3), IValidiumRegistry.ChainStatus.Ejected)),
                "Eject chain 3"
            )
        );
        assertFalse(seats.hasSeat(_id(3)), "seat burned");
        assertEq(seats.seatCount(), 2, "seat count");
        vm.warp(block.timestamp + 1);
        Proposal memory p = _admissionProposal(4, VOTER4);
        vm.prank(VOTER3);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, VOTER3, 0, 1));
        governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function test_approveSecurityChange_upgradeByProposal() public {
        IValidiumRegistry.SecurityConfig memory cfg = _security(1, 1);
        vm.prank(VOTER1);
        bytes32 h = registry.announceSecurityChange(_id(1), cfg);
        // The member cannot approve its own change.
        bytes32 approver = registry.APPROVER_ROLE();
        vm.prank(VOTER1);
        vm.expectRevert(_unauthorized(VOTER1, approver));
        registry.approveSecurityChange(_id(1), h);

        _pass(
            _single(
                address(registry),
                0,
                abi.encodeCall(IValidiumRegistry.approveSecurityChange, (_id(1), h)),
                "Approve chain 1 upgrade"
            )
        );
        uint256 approvedAt = block.timestamp;
        IValidiumRegistry.PendingSecurityChange memory pending = registry.pendingSecurityChange(_id(1));
        assertEq(pending.approvedAt, approvedAt, "approved at execution");
        assertEq(pending.activatesAt, approvedAt + UPGRADE_DELAY, "activatesAt");

        vm.warp(approvedAt + UPGRADE_DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryChangeNotReady.selector,
                _id(1),
                uint64(approvedAt + UPGRADE_DELAY)
            )
        );
        registry.activateSecurityChange(_id(1));
        vm.warp(approvedAt + UPGRADE_DELAY);
        vm.prank(STRANGER);
        registry.activateSecurityChange(_id(1));
        assertEq(
            keccak256(abi.encode(registry.securityConfig(_id(1)))),
            keccak256(abi.encode(cfg)),
            "new security configuration"
        );
        assertEq(seats.ownerOf(1), VOTER1, "seat unchanged");
    }

    /// @notice A change re-announced while its approval proposal is in flight makes that proposal fail at
    ///         execution: the approval names the old hash.
    function test_approveSecurityChange_reannouncedDuringVote() public {
        vm.prank(VOTER1);
        bytes32 h1 = registry.announceSecurityChange(_id(1), _security(1, 1));
        Proposal memory p = _single(
            address(registry),
            0,
            abi.encodeCall(IValidiumRegistry.approveSecurityChange, (_id(1), h1)),
            "Approve chain 1 upgrade"
        );
        uint256 proposalId = _propose(VOTER2, p);
        _warpToVoting(proposalId);
        _vote(proposalId, VOTER1, FOR);
        _vote(proposalId, VOTER2, FOR);
        _warpPastDeadline(proposalId);
        _queue(p);
        vm.prank(VOTER1);
        bytes32 h2 = registry.announceSecurityChange(_id(1), _security(1, 2));
        vm.warp(governor.proposalEta(proposalId));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryChangeMismatch.selector, _id(1), h2, h1));
        _execute(p);
        assertEq(registry.pendingSecurityChange(_id(1)).approvedAt, 0, "new change not approved");
    }
}
