// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IClusterConfig} from "../interfaces/IClusterConfig.sol";
import {IEmergencyElection} from "../interfaces/IEmergencyElection.sol";
import {IRequestQueue} from "../interfaces/IRequestQueue.sol";
import {IValidiumRegistry} from "../interfaces/IValidiumRegistry.sol";
import {ChainId, SETTLEMENT_ROOT} from "../types/ChainId.sol";

/// @title EmergencyElection
/// @notice Emergency-control elections (DESIGN.md §4, docs/PROTOCOL.md): the Active strict descendants of a
///         chain, one vote each cast by its operator, replace the chain's operator through the registry's
///         `installElectedOperator` (this contract holds the registry's ELECTION_ROLE).
/// @dev Invariants:
///      E1  address(this).balance = Σ bond of Open elections + Σ owed(a). Bonds enter only in `startElection`
///          (exactly the ElectionBond in force); slashed stakes enter only from the registry during a successful
///          `finalize` and are paid out (or credited) in the same call; each bond leaves exactly once, when its
///          election leaves Open.
///      E2  an election leaves Open at most once (to Succeeded, Expired or Superseded) and never returns.
///      E3  epochOf(c) = number of Succeeded elections on c; an election counts as Open for voting and success
///          only while its epoch equals epochOf(its chain), so at most one election per (chain, epoch) succeeds.
///      E4  voteOf(c, e, v) names at most one election per (chain, epoch, voter): a voter's vote moves, it is
///          never duplicated. The vote record also names the voter's newest entry in that election's voter list,
///          and only that entry counts, so a voter counts at most once however often it moved its vote.
///      E5  an election succeeds only with 2·votes > electorate > 0, both counted at `finalize` on the registry's
///          current tree: a vote counts iff its voter is still Active, still a strict descendant of the chain,
///          and still votes for this election.
///      E6  a failed payment never reverts `finalize`: it is credited to its recipient (`owed`), pulled with
///          `withdrawOwed`. Pushes forward at most `PUSH_GAS`, so a recipient cannot make finalizing expensive.
///      State is written before every external call that can transfer control (`installElectedOperator`,
///      payments); `finalize` and `withdrawOwed` are nonReentrant besides.
contract EmergencyElection is IEmergencyElection, ReentrancyGuard {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One election as stored: the interface's `Election` plus the length of its voter list, which fits in
    ///      the slot of `deadline`, `bond` and `state` (so a vote writes no separate length slot).
    struct Record {
        ChainId chainId;
        address candidate;
        address initiator;
        uint64 epoch;
        uint64 deadline;
        uint96 bond;
        ElectionState state;
        uint32 entries;
    }

    /// @dev Elections by id (from 1).
    mapping(uint256 electionId => Record) private _elections;
    /// @dev Every vote cast for each election, in order: entry i is the voter chain id in lane i mod 4 (64 bits
    ///      each) of word i / 4. These are the recount's candidates; a voter that moves its vote away and back is
    ///      listed again, and only its newest entry counts.
    mapping(uint256 electionId => mapping(uint256 word => uint256)) private _voters;
    /// @dev Per (chain, epoch, voter): the election it votes for (low 128 bits) and its entry in that election's
    ///      voter list (high 128 bits).
    mapping(ChainId chainId => mapping(uint64 epoch => mapping(ChainId voter => uint256))) private _votes;
    /// @dev Number of Succeeded elections per chain.
    mapping(ChainId chainId => uint64) private _epochs;
    /// @dev Payments that could not be pushed, per recipient.
    mapping(address account => uint256) private _owed;
    uint256 private _count;

    IValidiumRegistry private immutable _registry;
    /// @dev The registry's configuration (immutable there too).
    IClusterConfig private immutable _config;
    address private immutable _treasury;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEmergencyElection
    uint256 public constant INITIATOR_SHARE_BPS = 5000;
    /// @notice Gas forwarded with a pushed payment; a recipient needing more is credited instead (`withdrawOwed`).
    uint256 public constant PUSH_GAS = 100_000;
    uint256 private constant _BPS = 10_000;
    uint256 private constant _ID_MASK = type(uint128).max;
    uint256 private constant _PARAM_PERIOD = uint256(IClusterConfig.Param.ElectionVotingPeriod);
    uint256 private constant _PARAM_BOND = uint256(IClusterConfig.Param.ElectionBond);

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param registry_ The registry (this contract needs its ELECTION_ROLE).
    /// @param treasury_ Receiver of forfeited bonds and of the non-initiator part of slashed stakes.
    constructor(IValidiumRegistry registry_, address treasury_) {
        if (address(registry_) == address(0) || treasury_ == address(0)) revert ElectionZeroAddress();
        _registry = registry_;
        _config = registry_.clusterConfig();
        _treasury = treasury_;
    }

    /// @notice Accepts ETH from the registry only (the slashed stake, during `finalize`).
    receive() external payable {
        if (msg.sender != address(_registry)) revert ElectionUnexpectedPayment(msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEmergencyElection
    /// @dev Checks, in order: membership (`ElectionNotMember`), unused hatch if Frozen (`ElectionHatchUsed`),
    ///      electorate (`ElectionNoElectorate`), candidate (`ElectionZeroAddress`, `ElectionSameOperator`), bond
    ///      (`ElectionWrongBond`).
    function startElection(ChainId chainId, address candidate) external payable returns (uint256 electionId) {
        IValidiumRegistry.ChainInfo memory info = _chainInfo(chainId);
        IValidiumRegistry.ChainStatus status = info.status;
        if (status != IValidiumRegistry.ChainStatus.Active && status != IValidiumRegistry.ChainStatus.Frozen) {
            revert ElectionNotMember(chainId);
        }
        if (status == IValidiumRegistry.ChainStatus.Frozen && _hatchUsed(chainId)) revert ElectionHatchUsed(chainId);
        if (_electorate(info) == 0) revert ElectionNoElectorate(chainId);
        if (candidate == address(0)) revert ElectionZeroAddress();
        if (candidate == info.operator) revert ElectionSameOperator(chainId, candidate);
        uint256 bond = _config.param(_PARAM_BOND);
        if (msg.value != bond) revert ElectionWrongBond(msg.value, bond);

        uint64 epoch = _epochs[chainId];
        uint64 deadline = uint64(block.timestamp + _config.param(_PARAM_PERIOD));
        electionId = ++_count;
        _elections[electionId] = Record({
            chainId: chainId,
            candidate: candidate,
            initiator: msg.sender,
            epoch: epoch,
            deadline: deadline,
            bond: uint96(bond),
            state: ElectionState.Open,
            entries: 0
        });
        emit ElectionStarted(electionId, chainId, candidate, msg.sender, epoch, deadline, bond);
    }

    /// @inheritdoc IEmergencyElection
    /// @dev Checks, in order: the election (`ElectionUnknown`, `ElectionNotOpen` with its state, or Superseded when
    ///      its chain's epoch moved on, `ElectionVotingClosed`), then the voter (`ElectionVoterNotActive`,
    ///      `ElectionNotVoterOperator`, `ElectionNotDescendant`, `ElectionAlreadyVoted`).
    function vote(uint256 electionId, ChainId voter) external {
        Record storage e = _open(electionId);
        ChainId chainId = e.chainId;
        uint64 epoch = e.epoch;
        if (epoch != _epochs[chainId]) revert ElectionNotOpen(electionId, ElectionState.Superseded);
        uint64 deadline = e.deadline;
        if (block.timestamp > deadline) revert ElectionVotingClosed(electionId, deadline);
        IValidiumRegistry.ChainInfo memory info = _chainInfo(voter);
        if (info.status != IValidiumRegistry.ChainStatus.Active) revert ElectionVoterNotActive(voter);
        if (info.operator != msg.sender) revert ElectionNotVoterOperator(voter, msg.sender);
        if (!_isUnder(voter, chainId)) revert ElectionNotDescendant(voter, chainId);
        mapping(ChainId => uint256) storage current = _votes[chainId][epoch];
        uint256 previous = current[voter] & _ID_MASK;
        if (previous == electionId) revert ElectionAlreadyVoted(electionId, voter);

        uint32 entry = e.entries;
        current[voter] = electionId | (uint256(entry) << 128);
        _voters[electionId][entry >> 2] |= uint256(ChainId.unwrap(voter)) << ((entry & 3) << 6);
        e.entries = entry + 1;
        emit ElectionVoteCast(electionId, voter, previous);
    }

    /// @inheritdoc IEmergencyElection
    /// @dev A majority on a chain that can no longer be revived (Ejected, or Frozen with a used escape hatch)
    ///      cannot succeed: before the deadline `finalize` reverts (`ElectionNotMember`, `ElectionHatchUsed`), after
    ///      it the election is Expired like any other that failed.
    function finalize(uint256 electionId) external nonReentrant returns (ElectionState state) {
        Record storage e = _open(electionId);
        ChainId chainId = e.chainId;
        if (e.epoch != _epochs[chainId]) {
            uint256 bond = e.bond;
            e.state = ElectionState.Superseded;
            emit ElectionSuperseded(electionId, bond);
            _pay(e.initiator, bond);
            return ElectionState.Superseded;
        }
        (uint256 votes, uint256 electorate, IValidiumRegistry.ChainStatus status) = _tally(e, electionId);
        bool expired = block.timestamp > e.deadline;
        if (electorate != 0 && votes << 1 > electorate) {
            bytes4 blocked = _blocker(chainId, status);
            if (blocked == bytes4(0)) return _succeed(e, electionId, votes, electorate);
            if (!expired) {
                if (blocked == ElectionHatchUsed.selector) revert ElectionHatchUsed(chainId);
                revert ElectionNotMember(chainId);
            }
        } else if (!expired) {
            revert ElectionNoMajority(electionId, votes, electorate);
        }
        uint256 forfeited = e.bond;
        e.state = ElectionState.Expired;
        emit ElectionExpired(electionId, votes, electorate, forfeited);
        _pay(_treasury, forfeited);
        return ElectionState.Expired;
    }

    /// @inheritdoc IEmergencyElection
    function withdrawOwed() external nonReentrant returns (uint256 amount) {
        amount = _owed[msg.sender];
        if (amount == 0) revert ElectionNothingOwed(msg.sender);
        _owed[msg.sender] = 0;
        emit ElectionOwedWithdrawn(msg.sender, amount);
        (bool ok, ) = msg.sender.call{value: amount}("");
        if (!ok) revert ElectionTransferFailed(msg.sender, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEmergencyElection
    function election(uint256 electionId) external view returns (Election memory) {
        Record storage r = _elections[electionId];
        return
            Election({
                chainId: r.chainId,
                candidate: r.candidate,
                initiator: r.initiator,
                epoch: r.epoch,
                deadline: r.deadline,
                bond: r.bond,
                state: r.state
            });
    }

    /// @inheritdoc IEmergencyElection
    /// @dev Reverts `ElectionUnknown` for an unknown id. Counts the recorded votes of the election's own epoch.
    function tally(uint256 electionId) external view returns (uint256 votes, uint256 electorate) {
        Record storage e = _elections[electionId];
        if (e.state == ElectionState.None) revert ElectionUnknown(electionId);
        (votes, electorate, ) = _tally(e, electionId);
    }

    /// @inheritdoc IEmergencyElection
    function voteOf(ChainId chainId, uint64 epoch, ChainId voter) external view returns (uint256) {
        return _votes[chainId][epoch][voter] & _ID_MASK;
    }

    /// @inheritdoc IEmergencyElection
    function epochOf(ChainId chainId) external view returns (uint64) {
        return _epochs[chainId];
    }

    /// @inheritdoc IEmergencyElection
    function electionCount() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc IEmergencyElection
    /// @dev False when `descendant` is not registered (or is 0); every registered chain is a strict descendant of
    ///      the settlement chain 0, the root of the tree. Ejected chains keep their place in the tree.
    function isStrictDescendant(ChainId descendant, ChainId ancestor) external view returns (bool) {
        if (_registry.chainStatus(descendant) == IValidiumRegistry.ChainStatus.None) return false;
        if (ancestor == SETTLEMENT_ROOT) return true;
        return _isUnder(descendant, ancestor);
    }

    /// @inheritdoc IEmergencyElection
    function owed(address account) external view returns (uint256) {
        return _owed[account];
    }

    /// @inheritdoc IEmergencyElection
    function registry() external view returns (IValidiumRegistry) {
        return _registry;
    }

    /// @inheritdoc IEmergencyElection
    function treasury() external view returns (address) {
        return _treasury;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Success: state and epoch first, then the registry installs the candidate and sends the stake, then
    ///      the initiator gets its bond and its share, the treasury the rest.
    function _succeed(
        Record storage e,
        uint256 electionId,
        uint256 votes,
        uint256 electorate
    ) private returns (ElectionState) {
        ChainId chainId = e.chainId;
        address candidate = e.candidate;
        e.state = ElectionState.Succeeded;
        ++_epochs[chainId];
        (uint32 rolledBackTo, uint256 slashed) = _registry.installElectedOperator(chainId, candidate);
        uint256 reward = (slashed * INITIATOR_SHARE_BPS) / _BPS;
        emit ElectionSucceeded(electionId, chainId, candidate, votes, electorate, rolledBackTo, slashed, reward);
        _pay(e.initiator, uint256(e.bond) + reward);
        _pay(_treasury, slashed - reward);
        return ElectionState.Succeeded;
    }

    /// @dev Pushes `amount` to `to` with at most PUSH_GAS and without copying return data; credits it on failure.
    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        bool ok;
        uint256 gasLimit = PUSH_GAS;
        assembly ("memory-safe") {
            ok := call(gasLimit, to, amount, 0, 0, 0, 0)
        }
        if (!ok) {
            _owed[to] += amount;
            emit ElectionPaymentDeferred(to, amount);
        }
    }

    /// @dev The election `electionId`, which must be Open.
    function _open(uint256 electionId) private view returns (Record storage e) {
        e = _elections[electionId];
        ElectionState state = e.state;
        if (state == ElectionState.None) revert ElectionUnknown(electionId);
        if (state != ElectionState.Open) revert ElectionNotOpen(electionId, state);
    }

    /// @dev Valid votes for `electionId`, the chain's current electorate, and the chain's status.
    function _tally(
        Record storage e,
        uint256 electionId
    ) private view returns (uint256 votes, uint256 electorate, IValidiumRegistry.ChainStatus status) {
        ChainId chainId = e.chainId;
        IValidiumRegistry.ChainInfo memory info = _registry.chain(chainId);
        status = info.status;
        electorate = _electorate(info);
        mapping(ChainId => uint256) storage current = _votes[chainId][e.epoch];
        mapping(uint256 => uint256) storage voters = _voters[electionId];
        uint256 n = e.entries;
        uint256 word;
        for (uint256 i; i < n; ++i) {
            if (i & 3 == 0) word = voters[i >> 2];
            ChainId v = ChainId.wrap(uint64(word >> ((i & 3) << 6)));
            // Only the voter's newest entry, and only while it still votes for this election.
            if (current[v] != (electionId | (i << 128))) continue;
            if (_registry.chainStatus(v) != IValidiumRegistry.ChainStatus.Active) continue;
            if (_isUnder(v, chainId)) ++votes;
        }
    }

    /// @dev The registry's record of `chainId`; status None (all zero) when it is not registered (or is 0).
    function _chainInfo(ChainId chainId) private view returns (IValidiumRegistry.ChainInfo memory info) {
        if (_registry.chainStatus(chainId) != IValidiumRegistry.ChainStatus.None) info = _registry.chain(chainId);
    }

    /// @dev Active strict descendants of a chain: b, less the chain itself when it is Active.
    function _electorate(IValidiumRegistry.ChainInfo memory info) private pure returns (uint256) {
        uint256 b = info.subtreeSize;
        return info.status == IValidiumRegistry.ChainStatus.Active ? b - 1 : b;
    }

    /// @dev Why the chain (status `status`) cannot get an elected operator: ElectionNotMember's selector when it
    ///      is Ejected, ElectionHatchUsed's when it is Frozen with a used hatch, 0 when it can.
    function _blocker(ChainId chainId, IValidiumRegistry.ChainStatus status) private view returns (bytes4) {
        if (status == IValidiumRegistry.ChainStatus.Ejected) return ElectionNotMember.selector;
        if (status == IValidiumRegistry.ChainStatus.Frozen && _hatchUsed(chainId)) return ElectionHatchUsed.selector;
        return bytes4(0);
    }

    /// @dev Whether the chain's escape hatch has paid (false while no request queue is bound).
    function _hatchUsed(ChainId chainId) private view returns (bool) {
        IRequestQueue queue = _registry.requestQueue();
        return address(queue) != address(0) && queue.hatchUsed(chainId);
    }

    /// @dev Whether registered chain `descendant` has `ancestor` (non-zero) on its path to the root.
    function _isUnder(ChainId descendant, ChainId ancestor) private view returns (bool) {
        ChainId[] memory path = _registry.ancestors(descendant);
        for (uint256 i; i < path.length; ++i) {
            if (path[i] == ancestor) return true;
        }
        return false;
    }
}
