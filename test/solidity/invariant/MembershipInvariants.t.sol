// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ClusterSeats} from "../../../contracts/governance/ClusterSeats.sol";
import {IValidiumRegistry} from "../../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../../contracts/registry/ValidiumRegistry.sol";
import {ChainId} from "../../../contracts/types/ChainId.sol";

import {Test} from "../utils/Test.sol";
import {AcceptingVerifier} from "../utils/Verifiers.sol";
import {MembershipHandler} from "./MembershipHandler.sol";

/// @title MembershipInvariants
/// @notice Stateful fuzzing of membership through MembershipHandler (≤ 16 chains with ids in 1..24, depth ≤ 4,
///         fan-out ≤ 3, four governance addresses that chains rotate between, four applicants depositing and
///         withdrawing admission stakes): after every call of every run, seats, votes, security configurations,
///         stakes and the registry's ETH balance are checked against the handler's ghost state (table G of
///         docs/PROPERTIES.md: G1-G3, G7).
contract MembershipInvariantsTest is Test {
    ValidiumRegistry internal registry;
    ClusterSeats internal seats;
    MembershipHandler internal handler;

    function setUp() public {
        handler = new MembershipHandler(address(new AcceptingVerifier()), address(new AcceptingVerifier()));
        registry = handler.registry();
        seats = handler.seats();
        // Only the handler's actions are called; its view functions (ghost state) are not fuzzed.
        targetContract(address(handler));
    }

    function _isMember(IValidiumRegistry.ChainStatus s) internal pure returns (bool) {
        return s == IValidiumRegistry.ChainStatus.Active || s == IValidiumRegistry.ChainStatus.Frozen;
    }

    /// @notice (G3) The number of seats equals the number of chains with status Active or Frozen, counted
    ///         both from the registry and from the ghost.
    function invariant_seatCountEqualsMembers() public view {
        uint256 n = registry.chainCount();
        uint256 members;
        for (uint256 i; i < n; ++i) {
            if (_isMember(registry.chainStatus(registry.chainIdAt(i)))) ++members;
        }
        assertEq(seats.seatCount(), members, "seatCount != members (registry)");
        assertEq(seats.seatCount(), handler.ghostMemberCount(), "seatCount != members (ghost)");
        assertEq(n, handler.chainIds().length, "chainCount");
    }

    /// @notice (G1, G3) A registered chain has a seat exactly while it is Active or Frozen, held by its current
    ///         governance address (the one it was admitted with, or last rotated to); status and governance match
    ///         the ghost.
    function invariant_seatsMatchStatus() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            ChainId id = ChainId.wrap(ids[i]);
            IValidiumRegistry.ChainStatus s = registry.chainStatus(id);
            assertEq(uint8(s), handler.ghostStatus(ids[i]), "status");
            bool member = _isMember(s);
            assertEq(seats.hasSeat(id), member, "hasSeat != member");
            address gov = registry.chainGovernance(id);
            assertEq(gov, handler.ghostGovernance(ids[i]), "governance != ghost");
            if (member) assertEq(seats.ownerOf(ChainId.unwrap(id)), gov, "seat holder != chain governance");
        }
    }

    /// @notice (G2) Every governance address's votes equal the seats it holds and it is self-delegated; the
    ///         votes add up to seatCount; and past votes matched the seats held then (checked by the handler
    ///         after every action against its record of the previous timestamp).
    function invariant_votesEqualSeats() public view {
        uint256 total;
        uint256 pool = handler.GOVERNORS();
        for (uint256 i; i < pool; ++i) {
            address holder = handler.governor(i);
            uint256 held = seats.balanceOf(holder);
            assertEq(held, handler.ghostSeatsOf(holder), "seats held != ghost");
            assertEq(seats.getVotes(holder), held, "votes != seats held");
            if (held > 0) assertEq(seats.delegates(holder), holder, "not self-delegated");
            total += held;
        }
        assertEq(total, seats.seatCount(), "votes do not add up to seatCount");
        assertEq(handler.pastVotesMismatches(), 0, "past votes != seats held then");
    }

    /// @notice (G7) A chain's security configuration is the ghost's: it changed only in a predicted activation
    ///         (checked by the handler after every action), and every activation ran at least the UpgradeDelay
    ///         in force at its approval after that approval.
    function invariant_securityChangesOnlyByDelayedActivation() public view {
        assertEq(handler.securityDrifts(), 0, "security configuration changed outside an activation");
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            ChainId id = ChainId.wrap(ids[i]);
            assertEq(
                keccak256(abi.encode(registry.securityConfig(id))),
                handler.ghostSecurity(ids[i]),
                "security configuration != ghost"
            );
            IValidiumRegistry.ChainInfo memory info = registry.chain(id);
            IValidiumRegistry.SecurityConfig memory sec = registry.securityConfig(id);
            assertEq(info.operator, sec.operator, "chain().operator");
            assertEq(info.verifier, sec.verifier, "chain().verifier");
            MembershipHandler.Activation[] memory acts = handler.activations(ids[i]);
            for (uint256 k; k < acts.length; ++k) {
                assertTrue(acts[k].approvedAt != 0, "activation without approval");
                assertGe(acts[k].delayAtApproval, 1 hours, "delay below the hard bound");
                assertGe(acts[k].activatedAt, acts[k].approvedAt + acts[k].delayAtApproval, "activated too early");
            }
        }
    }

    /// @notice Only members have a pending change, and every pending change is the ghost's (hash, approval,
    ///         activation time).
    function invariant_pendingOnlyOnMembers() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            ChainId id = ChainId.wrap(ids[i]);
            IValidiumRegistry.PendingSecurityChange memory p = registry.pendingSecurityChange(id);
            if (!_isMember(registry.chainStatus(id))) assertEq(p.changeHash, bytes32(0), "pending on a non-member");
            assertEq(p.changeHash, handler.ghostPendingHash(ids[i]), "pending hash");
            assertEq(p.approvedAt, handler.ghostApprovedAt(ids[i]), "approvedAt");
            if (p.approvedAt == 0) assertEq(p.activatesAt, 0, "activatesAt without approval");
        }
    }

    /// @notice The registry holds exactly the stakes of every chain ever admitted (ejected ones included: there is
    ///         no way out for a stake) plus the outstanding admission stakes; each chain's stake and each
    ///         application match the ghost, and no registered chain id has an outstanding application.
    function invariant_balanceEqualsStakesPlusApplications() public view {
        uint64[] memory ids = handler.chainIds();
        uint256 stakes;
        for (uint256 i; i < ids.length; ++i) {
            uint256 stake = registry.chain(ChainId.wrap(ids[i])).stake;
            assertEq(stake, handler.ghostStake(ids[i]), "stake != ghost");
            assertGe(stake, handler.MIN_STAKE(), "stake below the minimum");
            stakes += stake;
        }
        uint256 applied;
        uint64 range = handler.ID_RANGE();
        for (uint64 id; id <= range; ++id) {
            (address applicant, uint96 amount) = registry.admissionStake(ChainId.wrap(id));
            assertEq(applicant, handler.ghostApplicant(id), "applicant != ghost");
            assertEq(amount, handler.ghostApplied(id), "application != ghost");
            assertEq(applicant == address(0), amount == 0, "applicant without amount or amount without applicant");
            if (registry.chainStatus(ChainId.wrap(id)) != IValidiumRegistry.ChainStatus.None) {
                assertEq(amount, 0, "application for a registered chain id");
            }
            applied += amount;
        }
        assertEq(stakes, handler.ghostStakeTotal(), "stakes != ghost");
        assertEq(applied, handler.ghostAppliedTotal(), "applications != ghost");
        assertEq(address(registry).balance, stakes + applied, "registry balance != stakes + applications");
    }

    /// @notice Every call the handler made had the predicted outcome: accepted when valid, rejected with
    ///         exactly the predicted custom error (and arguments) otherwise.
    function invariant_onlyPredictedOutcomes() public view {
        if (handler.unexpectedOutcomes() != 0) revert AssertionFailed(handler.lastUnexpected());
    }
}
