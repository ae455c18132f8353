// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
// solhint-disable-next-line no-console
import {console} from "hardhat/console.sol";

import {ClusterConfig} from "../../contracts/governance/ClusterConfig.sol";
import {IClusterConfig} from "../../contracts/interfaces/IClusterConfig.sol";
import {IEmergencyElection} from "../../contracts/interfaces/IEmergencyElection.sol";
import {IRequestQueue} from "../../contracts/interfaces/IRequestQueue.sol";
import {IValidiumRegistry} from "../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../contracts/registry/ValidiumRegistry.sol";
import {EmergencyElection} from "../../contracts/security/EmergencyElection.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";

import {ConfigDefaults} from "./utils/ConfigDefaults.sol";
import {Test} from "./utils/Test.sol";
import {AcceptingVerifier} from "./utils/Verifiers.sol";

/// @notice TEST-ONLY request queue bound to the real registry: `hatchUsed` is whatever the test set, and
///         `isQueuePoint` accepts only the empty point (0, 0) (the tests' updates never move their queue position).
contract HatchQueueStub {
    mapping(uint64 => bool) private _used;

    function setHatchUsed(ChainId chainId, bool used) external {
        _used[ChainId.unwrap(chainId)] = used;
    }

    function hatchUsed(ChainId chainId) external view returns (bool) {
        return _used[ChainId.unwrap(chainId)];
    }

    function isQueuePoint(ChainId, uint64 position, bytes32 rollingHash) external pure returns (bool) {
        return position == 0 && rollingHash == bytes32(0);
    }
}

/// @notice TEST-ONLY initiator (or treasury) contract whose receive() rejects ETH while `rejecting`, or burns all
///         the gas it is given while `burning`. It starts elections and pulls what it is owed.
contract RejectingInitiator {
    error RejectingInitiatorRefused(uint256 amount);

    EmergencyElection internal immutable _election;
    bool public rejecting = true;
    bool public burning;
    uint256 public received;

    constructor(EmergencyElection election_) {
        _election = election_;
    }

    function setMode(bool rejecting_, bool burning_) external {
        rejecting = rejecting_;
        burning = burning_;
    }

    function start(ChainId chainId, address candidate) external payable returns (uint256) {
        return _election.startElection{value: msg.value}(chainId, candidate);
    }

    function withdraw() external returns (uint256) {
        return _election.withdrawOwed();
    }

    // The behaviour under test lives in receive().
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (rejecting) revert RejectingInitiatorRefused(msg.value);
        if (burning) {
            for (uint256 i; gasleft() > 1000; ++i) {
                received = i;
            }
        }
        received += msg.value;
    }
}

/// @notice TEST-ONLY initiator whose receive() re-enters `finalize(target)` and `withdrawOwed()` (swallowing
///         their errors, which it records). While `rejectFirst` it rejects every payment (so that it is credited)
///         until `clearRejectFirst`. It counts every payment it receives.
contract ReentrantInitiator {
    error ReentrantInitiatorRefused(uint256 amount);

    EmergencyElection internal immutable _election;
    uint256 public target;
    bool public rejectFirst;
    uint256 public payments;
    uint256 public received;
    bytes public finalizeError;
    bytes public withdrawError;
    bool public reentrySucceeded;

    constructor(EmergencyElection election_) {
        _election = election_;
    }

    function start(ChainId chainId, address candidate, bool rejectFirst_) external payable returns (uint256 id) {
        rejectFirst = rejectFirst_;
        id = _election.startElection{value: msg.value}(chainId, candidate);
        target = id;
    }

    function withdraw() external returns (uint256) {
        return _election.withdrawOwed();
    }

    // The re-entry under test lives in receive().
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (rejectFirst) revert ReentrantInitiatorRefused(msg.value);
        ++payments;
        received += msg.value;
        try _election.finalize(target) {
            reentrySucceeded = true;
        } catch (bytes memory err) {
            finalizeError = err;
        }
        try _election.withdrawOwed() {
            reentrySucceeded = true;
        } catch (bytes memory err) {
            withdrawError = err;
        }
    }

    function clearRejectFirst() external {
        rejectFirst = false;
    }
}

/// @title ElectionTestBase
/// @notice Shared deployment for the EmergencyElection tests: a real ClusterConfig (voting period 3 days, bond
///         1 ether, fan-out 12, depth 8, minimum stake 1 ether) and ValidiumRegistry, this contract holding the
///         registry's admin, registrar, status and relocator roles, and the election contract holding its
///         ELECTION_ROLE. The tree (DESIGN.md §2's worked example) is
///             V(1) ── C1(2) ── G(5)
///               ├──── C2(3)
///               └──── C3(4)
///         with distinct operators, V staked 3 ether + 1 wei, every other chain 1 ether. So b(V) = 5 and the
///         electorate of V is 4 (C1, C2, C3, G), of C1 is 1 (G); C2, C3 and G are leaves.
abstract contract ElectionTestBase is Test {
    ClusterConfig internal config;
    ValidiumRegistry internal registry;
    EmergencyElection internal election;
    AcceptingVerifier internal verifier;

    ChainId internal constant ROOT = ChainId.wrap(0);
    ChainId internal constant V = ChainId.wrap(1);
    ChainId internal constant C1 = ChainId.wrap(2);
    ChainId internal constant C2 = ChainId.wrap(3);
    ChainId internal constant C3 = ChainId.wrap(4);
    ChainId internal constant G = ChainId.wrap(5);
    /// @dev Chain ids 0 .. IDS - 1 are part of the fingerprint.
    uint64 internal constant IDS = 10;

    address internal constant TREASURY = address(0x7EA5);
    address internal constant INITIATOR = address(0x1A1);
    address internal constant INITIATOR2 = address(0x1A2);
    address internal constant CANDIDATE = address(0xCA1);
    address internal constant CANDIDATE2 = address(0xCA2);
    address internal constant STRANGER = address(0xBAD);

    uint256 internal constant BOND = 1 ether;
    uint256 internal constant PERIOD = 3 days;
    uint256 internal constant MIN_STAKE = 1 ether;
    uint256 internal constant V_STAKE = 3 ether + 1;
    uint256 internal constant START = 1_700_000_000;

    function setUp() public virtual {
        vm.warp(START);
        vm.roll(1);
        config = ConfigDefaults.deploy(address(this), 12, 8, MIN_STAKE);
        registry = new ValidiumRegistry(address(this), config);
        verifier = new AcceptingVerifier();
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        registry.grantRole(registry.RELOCATOR_ROLE(), address(this));
        election = new EmergencyElection(registry, TREASURY);
        registry.grantRole(registry.ELECTION_ROLE(), address(election));
        vm.deal(address(this), 1 << 100);
        vm.deal(INITIATOR, 100 ether);
        vm.deal(INITIATOR2, 100 ether);
        vm.deal(STRANGER, 100 ether);
        _register(V, ROOT, V_STAKE);
        _register(C1, V, MIN_STAKE);
        _register(C2, V, MIN_STAKE);
        _register(C3, V, MIN_STAKE);
        _register(G, C1, MIN_STAKE);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _id(uint64 raw) internal pure returns (ChainId) {
        return ChainId.wrap(raw);
    }

    function _op(ChainId id) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("operator", ChainId.unwrap(id))))));
    }

    function _register(ChainId id, ChainId parent, uint256 stake) internal {
        registry.registerChain{value: stake}(
            id,
            parent,
            _op(id),
            address(verifier),
            keccak256(abi.encode("genesis", ChainId.unwrap(id)))
        );
    }

    /// @dev Submits an update of `id` as `operator`, acknowledging everything before this block.
    function _submitAs(ChainId id, address operator, bytes32 wroot) internal returns (uint32) {
        (, IValidiumRegistry.CommitmentInfo memory latest) = registry.latestCommitment(id);
        UpdatePublicData memory d;
        d.chainId = id;
        d.ackBlock = uint64(block.number);
        d.l2Block = uint64(block.number);
        d.prevRoot = latest.root;
        d.newRoot = keccak256(abi.encode(ChainId.unwrap(id), block.number, operator));
        d.withdrawalRoot = wroot;
        vm.prank(operator);
        return registry.submitUpdate(d, "");
    }

    /// @dev The worked example to block 13, then one more commitment of V: v1 (index 1) final, v2 (index 2, with a
    ///      withdrawal root) and v3 (index 3) pending.
    function _history() internal {
        vm.roll(10);
        _submitAs(V, _op(V), bytes32(0));
        vm.roll(11);
        _submitAs(C1, _op(C1), bytes32(0));
        vm.roll(12);
        _submitAs(G, _op(G), bytes32(0));
        vm.roll(13);
        _submitAs(V, _op(V), bytes32(uint256(0xAB)));
        vm.roll(14);
        _submitAs(V, _op(V), bytes32(uint256(0xCD)));
    }

    /// @dev Announces a security change of `id` by its governance (its operator, for `registerChain`).
    function _announce(ChainId id) internal returns (bytes32) {
        IValidiumRegistry.SecurityConfig memory cfg = registry.securityConfig(id);
        cfg.codeHash = keccak256("new code");
        vm.prank(_op(id));
        return registry.announceSecurityChange(id, cfg);
    }

    function _start(ChainId id, address candidate) internal returns (uint256) {
        vm.prank(INITIATOR);
        return election.startElection{value: BOND}(id, candidate);
    }

    function _startAs(address initiator, ChainId id, address candidate) internal returns (uint256) {
        vm.prank(initiator);
        return election.startElection{value: BOND}(id, candidate);
    }

    function _vote(uint256 electionId, ChainId voter) internal {
        address operator = registry.chain(voter).operator;
        vm.prank(operator);
        election.vote(electionId, voter);
    }

    function _freeze(ChainId id) internal {
        registry.setChainStatus(id, IValidiumRegistry.ChainStatus.Frozen);
    }

    /// @dev Moves the leaf `id` under `newParent`.
    function _relocateLeaf(ChainId id, ChainId newParent) internal {
        ChainId[] memory subtree = new ChainId[](1);
        subtree[0] = id;
        registry.relocate(id, newParent, subtree, new uint256[](1));
    }

    function _state(uint256 electionId) internal view returns (IEmergencyElection.ElectionState) {
        return election.election(electionId).state;
    }

    function _assertTally(uint256 electionId, uint256 votes, uint256 electorate) internal view {
        (uint256 v, uint256 n) = election.tally(electionId);
        assertEq(v, votes, "tally votes");
        assertEq(n, electorate, "tally electorate");
    }

    /// @dev E1: the contract holds exactly the bonds of Open elections plus what it owes `owedTo`.
    function _assertSolvent(address[] memory owedTo) internal view {
        uint256 held;
        uint256 n = election.electionCount();
        for (uint256 i = 1; i <= n; ++i) {
            IEmergencyElection.Election memory e = election.election(i);
            if (e.state == IEmergencyElection.ElectionState.Open) held += e.bond;
        }
        for (uint256 i; i < owedTo.length; ++i) held += election.owed(owedTo[i]);
        assertEq(address(election).balance, held, "E1: balance = open bonds + owed");
    }

    function _noOwed() internal pure returns (address[] memory) {
        return new address[](0);
    }

    function _err(bytes4 selector, uint256 a) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, a);
    }

    function _notOpen(uint256 id, IEmergencyElection.ElectionState s) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IEmergencyElection.ElectionNotOpen.selector, id, s);
    }

    function _noMajority(uint256 id, uint256 votes, uint256 electorate) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IEmergencyElection.ElectionNoMajority.selector, id, votes, electorate);
    }

    function _notDescendant(ChainId voter, ChainId chainId) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IEmergencyElection.ElectionNotDescendant.selector, voter, chainId);
    }

    /// @dev A hash of everything the election contract and the registry expose that an election could change:
    ///      elections (ids 0 .. count + 1), epochs and votes of chain ids below IDS (epochs 0 .. 2), owed amounts
    ///      and balances of the actors, and every registered chain's info, security configuration, pending change,
    ///      operatorSince and latest commitment. Equal fingerprints mean a call changed nothing visible.
    function _fingerprint() internal view returns (bytes32 h) {
        uint256 count = election.electionCount();
        h = keccak256(abi.encode(count, address(election).balance, address(registry).balance));
        for (uint256 i; i <= count + 1; ++i) h = keccak256(abi.encode(h, election.election(i)));
        address[6] memory actors = [TREASURY, INITIATOR, INITIATOR2, CANDIDATE, STRANGER, address(this)];
        for (uint256 i; i < actors.length; ++i) {
            h = keccak256(abi.encode(h, actors[i].balance, election.owed(actors[i])));
        }
        for (uint64 c; c < IDS; ++c) {
            h = keccak256(abi.encode(h, election.epochOf(_id(c))));
            for (uint64 ep; ep < 3; ++ep) {
                for (uint64 v; v < IDS; ++v) h = keccak256(abi.encode(h, election.voteOf(_id(c), ep, _id(v))));
            }
        }
        uint256 n = registry.chainCount();
        for (uint256 i; i < n; ++i) {
            ChainId id = registry.chainIdAt(i);
            (uint32 latest, ) = registry.latestCommitment(id);
            h = keccak256(
                abi.encode(
                    h,
                    registry.chain(id),
                    registry.securityConfig(id),
                    registry.pendingSecurityChange(id),
                    registry.operatorSince(id),
                    latest
                )
            );
        }
    }
}

/// @title EmergencyElectionTest
/// @notice Unit tests of EmergencyElection on the real registry: starting (every rejection), voting (eligibility,
///         moving a vote between competing elections, relocation), finalizing (success with exact events and
///         balances, the rollback and everything `installElectedOperator` does, recount on the current tree,
///         supersession, expiry, frozen and hatch-used chains, ejected chains), payments (a rejecting, a
///         gas-burning and a re-entering initiator; `withdrawOwed`), views and gas. Every rejection asserts the
///         exact custom error and that nothing visible changed (`_fingerprint`).
contract EmergencyElectionTest is ElectionTestBase {
    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_constructor_setsRegistryAndTreasury() public view {
        assertEq(address(election.registry()), address(registry), "registry");
        assertEq(election.treasury(), TREASURY, "treasury");
        assertEq(election.INITIATOR_SHARE_BPS(), 5000, "share");
        assertEq(election.electionCount(), 0, "count");
    }

    function test_constructor_zeroRegistry() public {
        vm.expectRevert(IEmergencyElection.ElectionZeroAddress.selector);
        new EmergencyElection(IValidiumRegistry(address(0)), TREASURY);
    }

    function test_constructor_zeroTreasury() public {
        vm.expectRevert(IEmergencyElection.ElectionZeroAddress.selector);
        new EmergencyElection(registry, address(0));
    }

    /*//////////////////////////////////////////////////////////////
                             START ELECTION
    //////////////////////////////////////////////////////////////*/

    function test_startElection_recordsElection() public {
        uint64 deadline = uint64(START + PERIOD);
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionStarted(1, V, CANDIDATE, INITIATOR, 0, deadline, BOND);
        uint256 id = _start(V, CANDIDATE);
        assertEq(id, 1, "first id");
        IEmergencyElection.Election memory e = election.election(1);
        assertTrue(e.chainId == V, "chain");
        assertEq(e.candidate, CANDIDATE, "candidate");
        assertEq(e.initiator, INITIATOR, "initiator");
        assertEq(e.epoch, 0, "epoch");
        assertEq(e.deadline, deadline, "deadline");
        assertEq(e.bond, BOND, "bond");
        assertTrue(e.state == IEmergencyElection.ElectionState.Open, "Open");
        assertEq(election.electionCount(), 1, "count");
        assertEq(address(election).balance, BOND, "bond held");
        _assertTally(1, 0, 4);
        assertEq(_startAs(INITIATOR2, C1, CANDIDATE2), 2, "second id");
        _assertTally(2, 0, 1);
    }

    function test_startElection_chainZero() public {
        bytes32 before = _fingerprint();
        vm.prank(INITIATOR);
        vm.expectRevert(_err(IEmergencyElection.ElectionNotMember.selector, 0));
        election.startElection{value: BOND}(ROOT, CANDIDATE);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_startElection_unknownChain() public {
        bytes32 before = _fingerprint();
        vm.prank(INITIATOR);
        vm.expectRevert(_err(IEmergencyElection.ElectionNotMember.selector, 9));
        election.startElection{value: BOND}(_id(9), CANDIDATE);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_startElection_ejectedChain() public {
        registry.setChainStatus(C1, IValidiumRegistry.ChainStatus.Ejected);
        bytes32 before = _fingerprint();
        vm.prank(INITIATOR);
        vm.expectRevert(_err(IEmergencyElection.ElectionNotMember.selector, 2));
        election.startElection{value: BOND}(C1, CANDIDATE);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_startElection_leafHasNoElectorate() public {
        bytes32 before = _fingerprint();
        vm.prank(INITIATOR);
        vm.expectRevert(_err(IEmergencyElection.ElectionNoElectorate.selector, 3));
        election.startElection{value: BOND}(C2, CANDIDATE);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_startElection_allDescendantsFrozen() public {
        _freeze(G);
        bytes32 before = _fingerprint();
        vm.prank(INITIATOR);
        vm.expectRevert(_err(IEmergencyElection.ElectionNoElectorate.selector, 2));
        election.startElection{value: BOND}(C1, CANDIDATE);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_startElection_frozenChainKeepsElectorate() public {
        _freeze(V);
        assertEq(registry.subtreeSize(V), 4, "b(V) without V");
        uint256 id = _start(V, CANDIDATE);
        _assertTally(id, 0, 4);
    }

    function test_startElection_zeroCandidate() public {
        bytes32 before = _fingerprint();
        vm.prank(INITIATOR);
        vm.expectRevert(IEmergencyElection.ElectionZeroAddress.selector);
        election.startElection{value: BOND}(V, address(0));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_startElection_sameOperator() public {
        bytes32 before = _fingerprint();
        address operator = _op(V);
        vm.prank(INITIATOR);
        vm.expectRevert(abi.encodeWithSelector(IEmergencyElection.ElectionSameOperator.selector, V, operator));
        election.startElection{value: BOND}(V, operator);
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_startElection_wrongBond(uint256 value) public {
        value = bound(value, 0, 100 ether);
        vm.assume(value != BOND);
        bytes32 before = _fingerprint();
        vm.prank(INITIATOR);
        vm.expectRevert(abi.encodeWithSelector(IEmergencyElection.ElectionWrongBond.selector, value, BOND));
        election.startElection{value: value}(V, CANDIDATE);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_startElection_bondFollowsConfig() public {
        config.setParam(uint256(IClusterConfig.Param.ElectionBond), 0.5 ether);
        bytes32 before = _fingerprint();
        vm.prank(INITIATOR);
        vm.expectRevert(abi.encodeWithSelector(IEmergencyElection.ElectionWrongBond.selector, BOND, 0.5 ether));
        election.startElection{value: BOND}(V, CANDIDATE);
        assertEq(_fingerprint(), before, "state changed");
        vm.prank(INITIATOR);
        uint256 id = election.startElection{value: 0.5 ether}(V, CANDIDATE);
        assertEq(election.election(id).bond, 0.5 ether, "bond");
    }

    function test_startElection_hatchUsed() public {
        HatchQueueStub queue = new HatchQueueStub();
        registry.bindRequestQueue(IRequestQueue(address(queue)));
        _freeze(C1);
        queue.setHatchUsed(C1, true);
        bytes32 before = _fingerprint();
        vm.prank(INITIATOR);
        vm.expectRevert(_err(IEmergencyElection.ElectionHatchUsed.selector, 2));
        election.startElection{value: BOND}(C1, CANDIDATE);
        assertEq(_fingerprint(), before, "state changed");
        // An Active chain's hatch flag is irrelevant (an Active chain's hatch cannot have paid).
        queue.setHatchUsed(V, true);
        _start(V, CANDIDATE);
    }

    /*//////////////////////////////////////////////////////////////
                                  VOTE
    //////////////////////////////////////////////////////////////*/

    function test_vote_recordsAndEmits() public {
        uint256 id = _start(V, CANDIDATE);
        address operator = _op(G);
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionVoteCast(id, G, 0);
        vm.prank(operator);
        election.vote(id, G);
        assertEq(election.voteOf(V, 0, G), id, "voteOf");
        _assertTally(id, 1, 4);
    }

    function test_vote_nonDescendant() public {
        _register(_id(6), ROOT, MIN_STAKE);
        uint256 id = _start(V, CANDIDATE);
        bytes32 before = _fingerprint();
        address operator = _op(_id(6));
        vm.prank(operator);
        vm.expectRevert(_notDescendant(_id(6), V));
        election.vote(id, _id(6));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_chainItself() public {
        uint256 id = _start(V, CANDIDATE);
        bytes32 before = _fingerprint();
        address operator = _op(V);
        vm.prank(operator);
        vm.expectRevert(_notDescendant(V, V));
        election.vote(id, V);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_ancestor() public {
        uint256 id = _start(C1, CANDIDATE);
        bytes32 before = _fingerprint();
        address operator = _op(V);
        vm.prank(operator);
        vm.expectRevert(_notDescendant(V, C1));
        election.vote(id, V);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_sibling() public {
        uint256 id = _start(C1, CANDIDATE);
        bytes32 before = _fingerprint();
        address operator = _op(C2);
        vm.prank(operator);
        vm.expectRevert(_notDescendant(C2, C1));
        election.vote(id, C2);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_nonOperator() public {
        uint256 id = _start(V, CANDIDATE);
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IEmergencyElection.ElectionNotVoterOperator.selector, C2, STRANGER));
        election.vote(id, C2);
        // Another descendant's operator cannot vote for C2 either.
        address other = _op(C3);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(IEmergencyElection.ElectionNotVoterOperator.selector, C2, other));
        election.vote(id, C2);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_frozenVoter() public {
        uint256 id = _start(V, CANDIDATE);
        _freeze(C3);
        bytes32 before = _fingerprint();
        address operator = _op(C3);
        vm.prank(operator);
        vm.expectRevert(_err(IEmergencyElection.ElectionVoterNotActive.selector, 4));
        election.vote(id, C3);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_unknownVoter() public {
        uint256 id = _start(V, CANDIDATE);
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(_err(IEmergencyElection.ElectionVoterNotActive.selector, 77));
        election.vote(id, _id(77));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_alreadyVoted() public {
        uint256 id = _start(V, CANDIDATE);
        _vote(id, C1);
        bytes32 before = _fingerprint();
        address operator = _op(C1);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IEmergencyElection.ElectionAlreadyVoted.selector, id, C1));
        election.vote(id, C1);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_unknownElection() public {
        _start(V, CANDIDATE);
        bytes32 before = _fingerprint();
        address operator = _op(C1);
        vm.prank(operator);
        vm.expectRevert(_err(IEmergencyElection.ElectionUnknown.selector, 2));
        election.vote(2, C1);
        vm.prank(operator);
        vm.expectRevert(_err(IEmergencyElection.ElectionUnknown.selector, 0));
        election.vote(0, C1);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_deadline() public {
        uint256 id = _start(V, CANDIDATE);
        vm.warp(START + PERIOD);
        _vote(id, C1); // at the deadline: still open
        vm.warp(START + PERIOD + 1);
        bytes32 before = _fingerprint();
        address operator = _op(C2);
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(IEmergencyElection.ElectionVotingClosed.selector, id, uint64(START + PERIOD))
        );
        election.vote(id, C2);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_expiredElection() public {
        uint256 id = _start(V, CANDIDATE);
        vm.warp(START + PERIOD + 1);
        election.finalize(id);
        bytes32 before = _fingerprint();
        address operator = _op(C1);
        vm.prank(operator);
        vm.expectRevert(_notOpen(id, IEmergencyElection.ElectionState.Expired));
        election.vote(id, C1);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_vote_movesBetweenCompetingElections() public {
        uint256 a = _start(V, CANDIDATE);
        uint256 b = _startAs(INITIATOR2, V, CANDIDATE2);
        _vote(a, C1);
        address operator = _op(C1);
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionVoteCast(b, C1, a);
        vm.prank(operator);
        election.vote(b, C1);
        assertEq(election.voteOf(V, 0, C1), b, "moved");
        _assertTally(a, 0, 4);
        _assertTally(b, 1, 4);
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionVoteCast(a, C1, b);
        vm.prank(operator);
        election.vote(a, C1);
        _assertTally(a, 1, 4);
        _assertTally(b, 0, 4);
        // A vote on another chain's election is independent.
        uint256 c = _start(C1, CANDIDATE);
        _vote(c, G);
        _vote(a, G);
        assertEq(election.voteOf(C1, 0, G), c, "vote on C1");
        assertEq(election.voteOf(V, 0, G), a, "vote on V");
        _assertTally(a, 2, 4);
        _assertTally(c, 1, 1);
    }

    /// @notice Random moves of four voters between three competing elections: each election's tally is exactly the
    ///         number of voters whose current vote names it (a voter listed several times counts once).
    function testFuzz_vote_movesCountOnce(uint256 seed) public {
        uint256[3] memory ids = [_start(V, CANDIDATE), _startAs(INITIATOR2, V, CANDIDATE2), _start(V, STRANGER)];
        ChainId[4] memory voters = [C1, C2, C3, G];
        uint256[4] memory current;
        for (uint256 step; step < 16; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 who = r % 4;
            uint256 target = ids[(r >> 8) % 3];
            address operator = _op(voters[who]);
            if (current[who] == target) {
                bytes32 before = _fingerprint();
                vm.prank(operator);
                vm.expectRevert(
                    abi.encodeWithSelector(IEmergencyElection.ElectionAlreadyVoted.selector, target, voters[who])
                );
                election.vote(target, voters[who]);
                assertEq(_fingerprint(), before, "state changed");
            } else {
                vm.expectEmit(address(election));
                emit IEmergencyElection.ElectionVoteCast(target, voters[who], current[who]);
                vm.prank(operator);
                election.vote(target, voters[who]);
                current[who] = target;
            }
            for (uint256 k; k < 3; ++k) {
                uint256 expected;
                for (uint256 w; w < 4; ++w) if (current[w] == ids[k]) ++expected;
                _assertTally(ids[k], expected, 4);
            }
        }
    }

    function test_vote_afterRelocation() public {
        uint256 id = _start(V, CANDIDATE);
        // X joins under the root, then moves into V's subtree (under C2): it may vote.
        ChainId x = _id(6);
        _register(x, ROOT, MIN_STAKE);
        bytes32 before = _fingerprint();
        address xop = _op(x);
        vm.prank(xop);
        vm.expectRevert(_notDescendant(x, V));
        election.vote(id, x);
        assertEq(_fingerprint(), before, "state changed");
        _relocateLeaf(x, C2);
        _vote(id, x);
        _assertTally(id, 1, 5);
        // G moves out (under the root): it may no longer vote on V.
        _relocateLeaf(G, ROOT);
        before = _fingerprint();
        address gop = _op(G);
        vm.prank(gop);
        vm.expectRevert(_notDescendant(G, V));
        election.vote(id, G);
        assertEq(_fingerprint(), before, "state changed");
        _assertTally(id, 1, 4);
    }

    /*//////////////////////////////////////////////////////////////
                                FINALIZE
    //////////////////////////////////////////////////////////////*/

    function test_finalize_success() public {
        _history();
        bytes32 pending = _announce(V);
        uint256 id = _start(V, CANDIDATE);
        _vote(id, C1);
        _vote(id, G);
        _vote(id, C3);
        assertEq(registry.chain(V).latestIndex, 3, "latest before");
        assertEq(registry.chain(V).finalizedIndex, 1, "finalized before");
        assertEq(registry.withdrawalRoot(V, 2), bytes32(uint256(0xAB)), "pending withdrawal root");
        vm.warp(START + 1 days);
        uint256 reward = V_STAKE / 2;
        uint256 initiatorBefore = INITIATOR.balance;

        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeCancelled(V, pending);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.OperatorElected(V, _op(V), CANDIDATE, 1, 3, V_STAKE);
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionSucceeded(id, V, CANDIDATE, 3, 4, 1, V_STAKE, reward);
        IEmergencyElection.ElectionState s = election.finalize(id);

        assertTrue(s == IEmergencyElection.ElectionState.Succeeded, "returned Succeeded");
        assertTrue(_state(id) == IEmergencyElection.ElectionState.Succeeded, "stored Succeeded");
        assertEq(INITIATOR.balance, initiatorBefore + BOND + reward, "initiator: bond + half");
        assertEq(TREASURY.balance, V_STAKE - reward, "treasury: the rest");
        assertEq(address(election).balance, 0, "nothing left");
        assertEq(registry.chain(V).stake, 0, "stake slashed");
        assertEq(registry.chain(V).operator, CANDIDATE, "operator installed");
        assertEq(registry.operatorSince(V), START + 1 days, "operatorSince = now");
        assertEq(registry.pendingSecurityChange(V).changeHash, bytes32(0), "pending change dropped");
        assertEq(election.epochOf(V), 1, "epoch advanced");
        (uint32 latest, ) = registry.latestCommitment(V);
        (uint32 fin, ) = registry.finalizedCommitment(V);
        assertEq(latest, 1, "rolled back to the finalized commitment");
        assertEq(fin, 1, "finalized unchanged");
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, V, 2));
        registry.withdrawalRoot(V, 2);
        // The old operator is out; the new one continues from the finalized commitment.
        address old = _op(V);
        vm.roll(20);
        (, IValidiumRegistry.CommitmentInfo memory head) = registry.latestCommitment(V);
        UpdatePublicData memory d;
        d.chainId = V;
        d.ackBlock = 20;
        d.prevRoot = head.root;
        d.newRoot = bytes32(uint256(1));
        bytes32 before = _fingerprint();
        vm.prank(old);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNotOperator.selector, V, old));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
        assertEq(_submitAs(V, CANDIDATE, bytes32(0)), 2, "new operator appends index 2");
        assertEq(registry.withdrawalRoot(V, 2), bytes32(0), "discarded withdrawal root gone");
        _assertSolvent(_noOwed());
        // Finalizing again is rejected.
        before = _fingerprint();
        vm.expectRevert(_notOpen(id, IEmergencyElection.ElectionState.Succeeded));
        election.finalize(id);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_finalize_majorityAfterDeadlineStillWins() public {
        uint256 id = _start(V, CANDIDATE);
        _vote(id, C1);
        _vote(id, C2);
        _vote(id, C3);
        vm.warp(START + PERIOD + 10 days);
        assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Succeeded, "Succeeded");
    }

    /// @notice Strict majority on a star of `n` children, `f` of them frozen before the start, `k` votes: the
    ///         election succeeds iff 2k > n - f, else (before the deadline) reverts with the exact tally.
    function testFuzz_finalize_strictMajority(uint256 n, uint256 f, uint256 k) public {
        n = bound(n, 1, 12);
        f = bound(f, 0, n - 1);
        uint256 electorate = n - f;
        k = bound(k, 0, electorate);
        ChainId p = _id(50);
        _register(p, ROOT, MIN_STAKE);
        for (uint64 i; i < n; ++i) _register(_id(51 + i), p, MIN_STAKE);
        for (uint64 i; i < f; ++i) _freeze(_id(51 + uint64(n) - 1 - i));
        uint256 id = _start(p, CANDIDATE);
        for (uint64 i; i < k; ++i) _vote(id, _id(51 + i));
        _assertTally(id, k, electorate);
        if (2 * k > electorate) {
            assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Succeeded, "majority succeeds");
            assertEq(registry.chain(p).operator, CANDIDATE, "installed");
        } else {
            bytes32 before = _fingerprint();
            vm.expectRevert(_noMajority(id, k, electorate));
            election.finalize(id);
            assertEq(_fingerprint(), before, "state changed");
        }
    }

    function test_finalize_recountExcludesFrozenVoter() public {
        _register(_id(6), C2, MIN_STAKE); // electorate of V: 5
        uint256 id = _start(V, CANDIDATE);
        _vote(id, C1);
        _vote(id, C2);
        _vote(id, C3);
        _assertTally(id, 3, 5);
        _freeze(C3);
        _assertTally(id, 2, 4);
        bytes32 before = _fingerprint();
        vm.expectRevert(_noMajority(id, 2, 4));
        election.finalize(id);
        assertEq(_fingerprint(), before, "state changed");
        // Unfrozen again, its vote counts again.
        registry.setChainStatus(C3, IValidiumRegistry.ChainStatus.Active);
        assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Succeeded, "Succeeded");
    }

    function test_finalize_recountExcludesRelocatedVoter() public {
        _register(_id(6), C2, MIN_STAKE); // electorate of V: 5
        uint256 id = _start(V, CANDIDATE);
        _vote(id, C1);
        _vote(id, C2);
        _vote(id, G);
        _assertTally(id, 3, 5);
        _relocateLeaf(G, ROOT);
        _assertTally(id, 2, 4);
        bytes32 before = _fingerprint();
        vm.expectRevert(_noMajority(id, 2, 4));
        election.finalize(id);
        assertEq(_fingerprint(), before, "state changed");
        // Moved back under C1, G counts again (its recorded vote still names this election).
        _relocateLeaf(G, C1);
        _assertTally(id, 3, 5);
        assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Succeeded, "Succeeded");
    }

    function test_finalize_competingFirstToMajorityWins() public {
        uint256 a = _start(V, CANDIDATE);
        uint256 b = _startAs(INITIATOR2, V, CANDIDATE2);
        _vote(a, C3);
        _vote(a, G);
        _vote(b, C1);
        _vote(b, C2);
        bytes32 before = _fingerprint();
        vm.expectRevert(_noMajority(a, 2, 4));
        election.finalize(a);
        vm.expectRevert(_noMajority(b, 2, 4));
        election.finalize(b);
        assertEq(_fingerprint(), before, "state changed");

        _vote(a, C2); // moves from b to a: a has 3 of 4
        _assertTally(b, 1, 4);
        uint256 before2 = INITIATOR2.balance;
        assertTrue(election.finalize(a) == IEmergencyElection.ElectionState.Succeeded, "a wins");
        assertEq(election.epochOf(V), 1, "epoch");

        // b can no longer be voted for, and finalizes as Superseded with its bond refunded.
        before = _fingerprint();
        address c1op = _op(C1);
        vm.prank(c1op);
        vm.expectRevert(_notOpen(b, IEmergencyElection.ElectionState.Superseded));
        election.vote(b, C3);
        assertEq(_fingerprint(), before, "state changed");
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionSuperseded(b, BOND);
        assertTrue(election.finalize(b) == IEmergencyElection.ElectionState.Superseded, "b superseded");
        assertEq(INITIATOR2.balance, before2 + BOND, "bond refunded");
        assertEq(registry.chain(V).operator, CANDIDATE, "a's candidate stays");
        before = _fingerprint();
        vm.expectRevert(_notOpen(b, IEmergencyElection.ElectionState.Superseded));
        election.finalize(b);
        assertEq(_fingerprint(), before, "state changed");
        _assertSolvent(_noOwed());

        // A new election in epoch 1 starts from scratch: old votes do not carry over.
        uint256 c = _start(V, CANDIDATE2);
        assertEq(election.election(c).epoch, 1, "epoch 1");
        _assertTally(c, 0, 4);
        assertEq(election.voteOf(V, 1, C2), 0, "no vote in epoch 1");
    }

    function test_finalize_expired() public {
        uint256 id = _start(V, CANDIDATE);
        _vote(id, C1);
        _vote(id, C2);
        vm.warp(START + PERIOD);
        bytes32 before = _fingerprint();
        vm.expectRevert(_noMajority(id, 2, 4));
        election.finalize(id); // at the deadline: not yet expired
        assertEq(_fingerprint(), before, "state changed");
        vm.warp(START + PERIOD + 1);
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionExpired(id, 2, 4, BOND);
        assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Expired, "Expired");
        assertEq(TREASURY.balance, BOND, "bond forfeited");
        assertEq(registry.chain(V).operator, _op(V), "operator unchanged");
        assertEq(registry.chain(V).stake, V_STAKE, "stake unchanged");
        assertEq(election.epochOf(V), 0, "epoch unchanged");
        _assertSolvent(_noOwed());
    }

    function test_finalize_beforeDeadlineNoVotes() public {
        uint256 id = _start(V, CANDIDATE);
        bytes32 before = _fingerprint();
        vm.expectRevert(_noMajority(id, 0, 4));
        election.finalize(id);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_finalize_unknown() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(_err(IEmergencyElection.ElectionUnknown.selector, 1));
        election.finalize(1);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_finalize_frozenChainRevived() public {
        _history();
        _freeze(C1);
        assertEq(registry.subtreeSize(V), 4, "b(V) without C1");
        assertEq(registry.subtreeSize(C1), 1, "b(C1) without C1");
        uint256 id = _start(C1, CANDIDATE);
        _vote(id, G);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainStatusChanged(
            C1,
            IValidiumRegistry.ChainStatus.Frozen,
            IValidiumRegistry.ChainStatus.Active
        );
        assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Succeeded, "Succeeded");
        assertTrue(registry.chainStatus(C1) == IValidiumRegistry.ChainStatus.Active, "Active again");
        assertEq(registry.subtreeSize(C1), 2, "b(C1) restored");
        assertEq(registry.subtreeSize(V), 5, "b(V) restored");
        assertEq(registry.chain(C1).operator, CANDIDATE, "installed");
        assertEq(INITIATOR.balance, 100 ether + MIN_STAKE / 2, "bond back + half of 1 ether");
    }

    function test_finalize_frozenChainWithBoundQueue() public {
        HatchQueueStub queue = new HatchQueueStub();
        registry.bindRequestQueue(IRequestQueue(address(queue)));
        _freeze(C1);
        uint256 id = _start(C1, CANDIDATE);
        _vote(id, G);
        assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Succeeded, "Succeeded");
        assertTrue(registry.chainStatus(C1) == IValidiumRegistry.ChainStatus.Active, "Active again");
    }

    function test_finalize_hatchUsedAfterStart() public {
        HatchQueueStub queue = new HatchQueueStub();
        registry.bindRequestQueue(IRequestQueue(address(queue)));
        _freeze(C1);
        uint256 id = _start(C1, CANDIDATE);
        _vote(id, G);
        queue.setHatchUsed(C1, true);
        bytes32 before = _fingerprint();
        vm.expectRevert(_err(IEmergencyElection.ElectionHatchUsed.selector, 2));
        election.finalize(id);
        assertEq(_fingerprint(), before, "state changed");
        // After the deadline the election cannot succeed: Expired, bond to the treasury, chain still Frozen.
        vm.warp(START + PERIOD + 1);
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionExpired(id, 1, 1, BOND);
        assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Expired, "Expired");
        assertTrue(registry.chainStatus(C1) == IValidiumRegistry.ChainStatus.Frozen, "still Frozen");
        assertEq(TREASURY.balance, BOND, "bond forfeited");
        assertEq(registry.chain(C1).stake, MIN_STAKE, "stake untouched");
    }

    function test_finalize_ejectedChain() public {
        uint256 id = _start(C1, CANDIDATE);
        _vote(id, G);
        registry.setChainStatus(C1, IValidiumRegistry.ChainStatus.Ejected);
        bytes32 before = _fingerprint();
        vm.expectRevert(_err(IEmergencyElection.ElectionNotMember.selector, 2));
        election.finalize(id);
        assertEq(_fingerprint(), before, "state changed");
        vm.warp(START + PERIOD + 1);
        assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Expired, "Expired");
        assertEq(TREASURY.balance, BOND, "bond forfeited");
    }

    /*//////////////////////////////////////////////////////////////
                                PAYMENTS
    //////////////////////////////////////////////////////////////*/

    function test_finalize_rejectingInitiator() public {
        RejectingInitiator r = new RejectingInitiator(election);
        uint256 id = r.start{value: BOND}(V, CANDIDATE);
        _vote(id, C1);
        _vote(id, C2);
        _vote(id, C3);
        uint256 due = BOND + V_STAKE / 2;
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionPaymentDeferred(address(r), due);
        assertTrue(election.finalize(id) == IEmergencyElection.ElectionState.Succeeded, "not blocked");
        assertEq(election.owed(address(r)), due, "credited");
        assertEq(TREASURY.balance, V_STAKE - V_STAKE / 2, "treasury paid");
        address[] memory owedTo = new address[](1);
        owedTo[0] = address(r);
        _assertSolvent(owedTo);

        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IEmergencyElection.ElectionTransferFailed.selector, address(r), due));
        r.withdraw();
        assertEq(_fingerprint(), before, "state changed");
        assertEq(election.owed(address(r)), due, "still owed");

        r.setMode(false, false);
        vm.expectEmit(address(election));
        emit IEmergencyElection.ElectionOwedWithdrawn(address(r), due);
        assertEq(r.withdraw(), due, "withdrawn");
        assertEq(address(r).balance, due, "paid");
        assertEq(election.owed(address(r)), 0, "cleared");
        before = _fingerprint();
        vm.expectRevert(_err(IEmergencyElection.ElectionNothingOwed.selector, uint160(address(r))));
        r.withdraw();
        assertEq(_fingerprint(), before, "state changed");
        _assertSolvent(owedTo);
    }

    function test_finalize_gasBurningInitiatorIsDeferred() public {
        RejectingInitiator r = new RejectingInitiator(election);
        uint256 id = r.start{value: BOND}(V, CANDIDATE);
        r.setMode(false, true);
        _vote(id, C1);
        _vote(id, C2);
        _vote(id, C3);
        uint256 g = gasleft();
        election.finalize(id);
        uint256 used = g - gasleft();
        assertLt(used, 400_000, "bounded by PUSH_GAS");
        assertEq(election.owed(address(r)), BOND + V_STAKE / 2, "credited");
        r.setMode(false, false);
        r.withdraw();
        assertEq(address(r).balance, BOND + V_STAKE / 2, "pulled");
    }

    function test_finalize_rejectingTreasury() public {
        RejectingInitiator t = new RejectingInitiator(election);
        EmergencyElection e2 = new EmergencyElection(registry, address(t));
        registry.grantRole(registry.ELECTION_ROLE(), address(e2));
        vm.prank(INITIATOR);
        uint256 id = e2.startElection{value: BOND}(V, CANDIDATE);
        vm.warp(START + PERIOD + 1);
        vm.expectEmit(address(e2));
        emit IEmergencyElection.ElectionPaymentDeferred(address(t), BOND);
        assertTrue(e2.finalize(id) == IEmergencyElection.ElectionState.Expired, "Expired");
        assertEq(e2.owed(address(t)), BOND, "treasury credited");
        assertEq(address(e2).balance, BOND, "held for the treasury");
    }

    function test_finalize_reentrantInitiator() public {
        ReentrantInitiator r = new ReentrantInitiator(election);
        uint256 id = r.start{value: BOND}(V, CANDIDATE, false);
        _vote(id, C1);
        _vote(id, C2);
        _vote(id, C3);
        election.finalize(id);
        assertEq(r.payments(), 1, "paid once");
        assertEq(r.received(), BOND + V_STAKE / 2, "bond + reward once");
        assertFalse(r.reentrySucceeded(), "no re-entry succeeded");
        bytes memory guarded = abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector);
        assertEq(r.finalizeError(), guarded, "finalize guarded");
        assertEq(r.withdrawError(), guarded, "withdrawOwed guarded");
        assertEq(election.owed(address(r)), 0, "nothing owed");
        assertEq(TREASURY.balance, V_STAKE - V_STAKE / 2, "treasury");
        _assertSolvent(_noOwed());
    }

    function test_withdrawOwed_reentrantInitiator() public {
        ReentrantInitiator r = new ReentrantInitiator(election);
        uint256 id = r.start{value: BOND}(V, CANDIDATE, true);
        _vote(id, C1);
        _vote(id, C2);
        _vote(id, C3);
        election.finalize(id); // the payment is rejected: credited
        uint256 due = BOND + V_STAKE / 2;
        assertEq(election.owed(address(r)), due, "credited");
        assertEq(r.payments(), 0, "nothing received yet");
        r.clearRejectFirst();
        assertEq(r.withdraw(), due, "withdrawn");
        assertEq(r.payments(), 1, "paid once");
        assertEq(r.received(), due, "exactly what was owed");
        assertFalse(r.reentrySucceeded(), "no re-entry succeeded");
        bytes memory guarded = abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector);
        assertEq(r.withdrawError(), guarded, "withdrawOwed guarded");
        assertEq(election.owed(address(r)), 0, "cleared");
        assertEq(address(election).balance, 0, "nothing left");
    }

    function test_receive_rejectsUnexpected() public {
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        (bool ok, bytes memory ret) = address(election).call{value: 1 ether}("");
        assertFalse(ok, "accepted");
        assertEq(ret, _err(IEmergencyElection.ElectionUnexpectedPayment.selector, uint160(STRANGER)), "error");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_withdrawOwed_nothingOwed() public {
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(_err(IEmergencyElection.ElectionNothingOwed.selector, uint160(STRANGER)));
        election.withdrawOwed();
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_isStrictDescendant() public {
        assertTrue(election.isStrictDescendant(G, V), "G under V");
        assertTrue(election.isStrictDescendant(G, C1), "G under C1");
        assertTrue(election.isStrictDescendant(C3, V), "C3 under V");
        assertTrue(election.isStrictDescendant(V, ROOT), "V under the settlement chain");
        assertFalse(election.isStrictDescendant(V, V), "not strict");
        assertFalse(election.isStrictDescendant(C1, G), "ancestor");
        assertFalse(election.isStrictDescendant(G, C2), "sibling's child");
        assertFalse(election.isStrictDescendant(_id(9), V), "unknown");
        assertFalse(election.isStrictDescendant(ROOT, ROOT), "root");
        registry.setChainStatus(G, IValidiumRegistry.ChainStatus.Ejected);
        assertTrue(election.isStrictDescendant(G, V), "ejected keeps its place");
    }

    function test_tally_unknown() public {
        vm.expectRevert(_err(IEmergencyElection.ElectionUnknown.selector, 3));
        election.tally(3);
        assertTrue(_state(3) == IEmergencyElection.ElectionState.None, "None");
        assertEq(election.voteOf(V, 0, C1), 0, "no vote");
        assertEq(election.epochOf(_id(99)), 0, "epoch 0");
        assertEq(election.owed(STRANGER), 0, "nothing owed");
    }

    /*//////////////////////////////////////////////////////////////
                                  GAS
    //////////////////////////////////////////////////////////////*/

    function test_startElection_gas() public {
        vm.prank(INITIATOR);
        uint256 g = gasleft();
        election.startElection{value: BOND}(V, CANDIDATE);
        uint256 used = g - gasleft();
        // solhint-disable-next-line no-console
        console.log("gas startElection:", used);
        assertLt(used, 200_000, "startElection budget");
    }

    function test_vote_gas() public {
        uint256 id = _start(V, CANDIDATE);
        uint256 b = _startAs(INITIATOR2, V, CANDIDATE2);
        address gop = _op(G);
        address c1op = _op(C1);
        vm.prank(gop);
        uint256 g = gasleft();
        election.vote(id, G);
        uint256 used = g - gasleft();
        // solhint-disable-next-line no-console
        console.log("gas vote (depth 3, first):", used);
        assertLt(used, 200_000, "vote budget");
        vm.prank(c1op);
        g = gasleft();
        election.vote(id, C1);
        used = g - gasleft();
        // solhint-disable-next-line no-console
        console.log("gas vote (depth 2, second voter):", used);
        vm.prank(gop);
        g = gasleft();
        election.vote(b, G);
        used = g - gasleft();
        // solhint-disable-next-line no-console
        console.log("gas vote (move to a competing election):", used);
    }

    function test_finalize_gas() public {
        _history();
        _announce(V);
        uint256 id = _start(V, CANDIDATE);
        _vote(id, C1);
        _vote(id, G);
        _vote(id, C3);
        uint256 g = gasleft();
        election.finalize(id);
        uint256 used = g - gasleft();
        // solhint-disable-next-line no-console
        console.log("gas finalize (success, 3 of 4 votes, rollback of 2):", used);
        assertLt(used, 400_000, "finalize budget");
    }

    function test_finalize_gasExpired() public {
        uint256 id = _start(V, CANDIDATE);
        _vote(id, C1);
        vm.warp(START + PERIOD + 1);
        uint256 g = gasleft();
        election.finalize(id);
        uint256 used = g - gasleft();
        // solhint-disable-next-line no-console
        console.log("gas finalize (expired, 1 vote):", used);
    }
}

/// @title EmergencyElectionFuzzTest
/// @notice Hostile inputs at every external function of EmergencyElection: random chain ids, candidates, values,
///         election ids, voters, callers and times. Each call either does exactly what the specification says
///         (checked) or reverts with the exact custom error predicted from the state and changes nothing.
/// @dev Extra state on top of the base tree: X(6) under the root (outsider), E(7) under the root and Ejected, the
///      stub queue bound with C3 Frozen and its hatch used; elections 1 (V, Expired), 2 (V, Open, C1 voted),
///      3 (C1, Open, Superseded by 4), 4 (C1, Succeeded: C1's operator is CANDIDATE, its epoch 1).
contract EmergencyElectionFuzzTest is ElectionTestBase {
    HatchQueueStub internal queue;
    ChainId internal constant X = ChainId.wrap(6);
    ChainId internal constant E = ChainId.wrap(7);
    uint256 internal t1;

    function setUp() public override {
        super.setUp();
        _register(X, ROOT, MIN_STAKE);
        _register(E, ROOT, MIN_STAKE);
        registry.setChainStatus(E, IValidiumRegistry.ChainStatus.Ejected);
        queue = new HatchQueueStub();
        registry.bindRequestQueue(IRequestQueue(address(queue)));
        _freeze(C3);
        queue.setHatchUsed(C3, true);
        _start(V, CANDIDATE);
        vm.warp(START + PERIOD + 1);
        election.finalize(1);
        t1 = block.timestamp;
        _start(V, CANDIDATE);
        _vote(2, C1);
        _startAs(INITIATOR2, C1, CANDIDATE2);
        _start(C1, CANDIDATE);
        _vote(4, G);
        election.finalize(4);
    }

    function _pickChain(uint256 seed, uint64 raw) internal pure returns (ChainId) {
        uint256 k = seed % 9;
        return k < 8 ? _id(uint64(k)) : _id(raw);
    }

    function _pickTime(uint256 seed) internal view returns (uint256) {
        uint256 k = seed % 3;
        if (k == 0) return t1;
        if (k == 1) return t1 + PERIOD;
        return t1 + PERIOD + 1 + (seed % 30 days);
    }

    function testFuzz_startElection_hostile(
        uint256 chainSeed,
        uint64 rawChain,
        uint256 candSeed,
        address rawCandidate,
        uint256 value,
        address caller
    ) public {
        ChainId c = _pickChain(chainSeed, rawChain);
        IValidiumRegistry.ChainStatus status = registry.chainStatus(c);
        bool known = status != IValidiumRegistry.ChainStatus.None;
        address operator = known ? registry.chain(c).operator : address(0);
        uint256 k = candSeed % 4;
        address candidate =
            k == 0
                ? address(0)
                : k == 1
                    ? operator
                    : k == 2
                        ? CANDIDATE
                        : rawCandidate;
        value = candSeed % 3 == 0 ? BOND : bound(value, 0, 1000 ether);
        vm.assume(caller != address(election) && caller != address(registry) && caller != address(vm));
        vm.deal(caller, value);

        bytes memory expected;
        if (status != IValidiumRegistry.ChainStatus.Active && status != IValidiumRegistry.ChainStatus.Frozen) {
            expected = _err(IEmergencyElection.ElectionNotMember.selector, ChainId.unwrap(c));
        } else if (status == IValidiumRegistry.ChainStatus.Frozen && queue.hatchUsed(c)) {
            expected = _err(IEmergencyElection.ElectionHatchUsed.selector, ChainId.unwrap(c));
        } else if (registry.subtreeSize(c) - (status == IValidiumRegistry.ChainStatus.Active ? 1 : 0) == 0) {
            expected = _err(IEmergencyElection.ElectionNoElectorate.selector, ChainId.unwrap(c));
        } else if (candidate == address(0)) {
            expected = abi.encodeWithSelector(IEmergencyElection.ElectionZeroAddress.selector);
        } else if (candidate == operator) {
            expected = abi.encodeWithSelector(IEmergencyElection.ElectionSameOperator.selector, c, candidate);
        } else if (value != BOND) {
            expected = abi.encodeWithSelector(IEmergencyElection.ElectionWrongBond.selector, value, BOND);
        }
        uint256 count = election.electionCount();
        bytes32 before = _fingerprint();
        vm.prank(caller);
        if (expected.length != 0) {
            vm.expectRevert(expected);
            election.startElection{value: value}(c, candidate);
            assertEq(_fingerprint(), before, "state changed");
        } else {
            uint256 id = election.startElection{value: value}(c, candidate);
            assertEq(id, count + 1, "id");
            IEmergencyElection.Election memory e = election.election(id);
            assertTrue(e.chainId == c, "chain");
            assertEq(e.initiator, caller, "initiator");
            assertEq(e.epoch, election.epochOf(c), "epoch");
        }
    }

    function testFuzz_vote_hostile(
        uint256 idSeed,
        uint256 rawId,
        uint256 voterSeed,
        uint64 rawVoter,
        uint256 callerSeed,
        address rawCaller
    ) public {
        uint256 id = idSeed % 7 < 6 ? idSeed % 7 : rawId;
        ChainId voter = _pickChain(voterSeed, rawVoter);
        vm.warp(_pickTime(callerSeed >> 8));
        IValidiumRegistry.ChainStatus vstatus = registry.chainStatus(voter);
        bool known = vstatus != IValidiumRegistry.ChainStatus.None;
        address operator = known ? registry.chain(voter).operator : address(0);
        address caller = callerSeed % 3 == 0 ? rawCaller : operator;
        IEmergencyElection.Election memory e = election.election(id);

        bytes memory expected;
        if (e.state == IEmergencyElection.ElectionState.None) {
            expected = _err(IEmergencyElection.ElectionUnknown.selector, id);
        } else if (e.state != IEmergencyElection.ElectionState.Open) {
            expected = _notOpen(id, e.state);
        } else if (e.epoch != election.epochOf(e.chainId)) {
            expected = _notOpen(id, IEmergencyElection.ElectionState.Superseded);
        } else if (block.timestamp > e.deadline) {
            expected = abi.encodeWithSelector(IEmergencyElection.ElectionVotingClosed.selector, id, e.deadline);
        } else if (vstatus != IValidiumRegistry.ChainStatus.Active) {
            expected = _err(IEmergencyElection.ElectionVoterNotActive.selector, ChainId.unwrap(voter));
        } else if (caller != operator) {
            expected = abi.encodeWithSelector(IEmergencyElection.ElectionNotVoterOperator.selector, voter, caller);
        } else if (!election.isStrictDescendant(voter, e.chainId)) {
            expected = _notDescendant(voter, e.chainId);
        } else if (election.voteOf(e.chainId, e.epoch, voter) == id) {
            expected = abi.encodeWithSelector(IEmergencyElection.ElectionAlreadyVoted.selector, id, voter);
        }
        bytes32 before = _fingerprint();
        vm.prank(caller);
        if (expected.length != 0) {
            vm.expectRevert(expected);
            election.vote(id, voter);
            assertEq(_fingerprint(), before, "state changed");
        } else {
            election.vote(id, voter);
            assertEq(election.voteOf(e.chainId, e.epoch, voter), id, "recorded");
        }
    }

    function testFuzz_finalize_hostile(uint256 idSeed, uint256 rawId, uint256 timeSeed, address caller) public {
        uint256 id = idSeed % 7 < 6 ? idSeed % 7 : rawId;
        vm.warp(_pickTime(timeSeed));
        IEmergencyElection.Election memory e = election.election(id);
        bytes memory expected;
        IEmergencyElection.ElectionState outcome;
        if (e.state == IEmergencyElection.ElectionState.None) {
            expected = _err(IEmergencyElection.ElectionUnknown.selector, id);
        } else if (e.state != IEmergencyElection.ElectionState.Open) {
            expected = _notOpen(id, e.state);
        } else if (e.epoch != election.epochOf(e.chainId)) {
            outcome = IEmergencyElection.ElectionState.Superseded;
        } else {
            (uint256 votes, uint256 electorate) = election.tally(id);
            if (electorate != 0 && 2 * votes > electorate) {
                outcome = IEmergencyElection.ElectionState.Succeeded;
            } else if (block.timestamp > e.deadline) {
                outcome = IEmergencyElection.ElectionState.Expired;
            } else {
                expected = _noMajority(id, votes, electorate);
            }
        }
        bytes32 before = _fingerprint();
        uint256 treasuryBefore = TREASURY.balance;
        uint256 initiatorBefore = e.initiator.balance;
        vm.prank(caller);
        if (expected.length != 0) {
            vm.expectRevert(expected);
            election.finalize(id);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        assertTrue(election.finalize(id) == outcome, "outcome");
        assertTrue(_state(id) == outcome, "stored");
        if (outcome == IEmergencyElection.ElectionState.Expired) {
            assertEq(TREASURY.balance, treasuryBefore + e.bond, "forfeited");
        } else if (outcome == IEmergencyElection.ElectionState.Superseded) {
            assertEq(e.initiator.balance, initiatorBefore + e.bond, "refunded");
        }
        _assertSolvent(_noOwed());
    }

    function testFuzz_withdrawOwed_hostile(address caller) public {
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(_err(IEmergencyElection.ElectionNothingOwed.selector, uint160(caller)));
        election.withdrawOwed();
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_receive_hostile(address from, uint256 value) public {
        vm.assume(from != address(registry) && from != address(election) && from != address(vm));
        value = bound(value, 0, 1e30);
        vm.deal(from, value);
        bytes32 before = _fingerprint();
        vm.prank(from);
        (bool ok, bytes memory ret) = address(election).call{value: value}("");
        assertFalse(ok, "accepted");
        assertEq(ret, _err(IEmergencyElection.ElectionUnexpectedPayment.selector, uint160(from)), "error");
        assertEq(_fingerprint(), before, "state changed");
    }
}
