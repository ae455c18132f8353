// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ClusterConfig} from "../../../contracts/governance/ClusterConfig.sol";
import {ClusterSeats} from "../../../contracts/governance/ClusterSeats.sol";
import {IClusterConfig} from "../../../contracts/interfaces/IClusterConfig.sol";
import {IValidiumRegistry} from "../../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../../contracts/registry/ValidiumRegistry.sol";
import {ChainId} from "../../../contracts/types/ChainId.sol";

import {VM, Vm} from "../utils/Vm.sol";

import {OutcomeLog} from "./OutcomeLog.sol";

/// @title EtherRejecter
/// @notice An applicant without a receive function: its admission stake can be deposited (by prank) but never
///         returned, so its withdrawals must fail with RegistryTransferFailed.
contract EtherRejecter {}

/// @title MembershipHandler
/// @notice The invariant fuzzer's actor for membership: admits chains (bounded ids, parents mostly among the
///         Active chains, governance from a pool of four addresses so that holders collect several seats, the
///         stake partly or wholly from an admission stake deposited before), freezes, unfreezes and ejects them,
///         rotates their governance within the pool, announces, approves, activates and cancels security changes
///         (as the right account, and now and then as a hostile one, a former governance, or with a stale hash),
///         deposits, tops up and withdraws admission stakes (four applicants, one of which rejects ETH), changes
///         the UpgradeDelay and moves time forward. Every call's outcome is predicted first from the ghost state;
///         an accepted call that should have failed, or a rejection with any other error than the predicted
///         one, is counted in `unexpectedOutcomes`.
/// @dev The handler deploys the config and the registry itself and holds every role (config governance and
///      guardian; registry admin, registrar, status and approver). Ghost state: the member set (statuses,
///      parents, depths, children), each chain's governance and stake, its expected security configuration, its
///      pending change, the history of its activations with the approval time and the delay in force then, and
///      the outstanding admission stakes (applicant and amount per chain id). After every action the registry's
///      security configuration of every chain is compared with the ghost: a change that did not come from a
///      predicted activation is counted in `securityDrifts`. The timestamp is kept in `ghostTime` and re-applied
///      with vm.warp at the start of every action.
// solhint-disable-next-line max-states-count
contract MembershipHandler is OutcomeLog {
    // solhint-disable-next-line const-name-snakecase
    Vm internal constant vm = VM;

    uint256 public constant MAX_CHAINS = 16;
    uint64 public constant ID_RANGE = 24;
    uint16 public constant MAX_FAN_OUT = 3;
    uint8 public constant MAX_DEPTH = 4;
    uint256 public constant MIN_STAKE = 1 gwei;
    uint256 public constant GOVERNORS = 4;
    /// @notice Applicants for admission stakes: three accounts and one contract that rejects ETH.
    uint256 public constant APPLICANTS = 4;

    uint8 internal constant _NONE = uint8(IValidiumRegistry.ChainStatus.None);
    uint8 internal constant _ACTIVE = uint8(IValidiumRegistry.ChainStatus.Active);
    uint8 internal constant _FROZEN = uint8(IValidiumRegistry.ChainStatus.Frozen);
    uint8 internal constant _EJECTED = uint8(IValidiumRegistry.ChainStatus.Ejected);
    uint256 internal constant _UPGRADE_DELAY = uint256(IClusterConfig.Param.UpgradeDelay);

    ClusterConfig public immutable config;
    ValidiumRegistry public immutable registry;
    ClusterSeats public immutable seats;
    address public immutable verifier;
    address public immutable verifier2;
    address public immutable rejecter;

    /// @notice One activation: when its change was approved, the UpgradeDelay in force then, and when it ran.
    struct Activation {
        bytes32 changeHash;
        uint64 approvedAt;
        uint64 delayAtApproval;
        uint64 activatedAt;
    }

    /*//////////////////////////////////////////////////////////////
                                 GHOST
    //////////////////////////////////////////////////////////////*/

    uint64[] internal _ids;
    mapping(uint64 => uint8) public ghostStatus;
    mapping(uint64 => uint64) public ghostParent;
    mapping(uint64 => uint8) public ghostDepth;
    mapping(uint64 => uint16) public ghostChildCount;
    uint16 public ghostRootChildCount;
    mapping(uint64 => address) public ghostGovernance;
    /// @dev keccak256(abi.encode(SecurityConfig)) the chain must have: set on admission and activation only.
    mapping(uint64 => bytes32) public ghostSecurity;
    mapping(uint64 => uint256) public ghostNonce;
    mapping(uint64 => bytes32) public ghostPendingHash;
    mapping(uint64 => bytes32) public ghostPendingConfig;
    mapping(uint64 => uint64) public ghostApprovedAt;
    mapping(uint64 => uint64) public ghostDelayAtApproval;
    /// @dev Hashes of changes that were pending once and are not any more (cancelled, replaced, activated).
    mapping(uint64 => bytes32) public ghostStaleHash;
    mapping(uint64 => Activation[]) internal _activations;
    uint256 public ghostTime;
    uint256 public ghostDelay;

    /// @dev Each chain's stake as admitted, and their sum over every chain ever admitted (ejected included).
    mapping(uint64 => uint256) public ghostStake;
    uint256 public ghostStakeTotal;
    /// @dev Outstanding admission stakes per chain id, and their sum.
    mapping(uint64 => address) public ghostApplicant;
    mapping(uint64 => uint256) public ghostApplied;
    uint256 public ghostAppliedTotal;
    /// @dev The governance a chain had before its latest rotation (zero if never rotated).
    mapping(uint64 => address) public ghostFormerGovernance;

    /// @dev Seats each pool address held at the end of the latest and of the previous distinct timestamp.
    mapping(address => uint256) public ghostSeatsAtLast;
    mapping(address => uint256) public ghostSeatsAtPrev;
    uint256 public ghostLastTime;
    uint256 public ghostPrevTime;

    /// @dev Times a chain's security configuration differed from the ghost after an action.
    uint256 public securityDrifts;
    /// @dev Times getPastVotes(holder, previous timestamp) differed from the seats the holder held then.
    uint256 public pastVotesMismatches;
    uint256 public pastVotesChecks;

    /// @dev Call statistics, for tuning the campaign.
    uint256 public admitted;
    uint256 public statusChanged;
    uint256 public announced;
    uint256 public approved;
    uint256 public activated;
    uint256 public cancelled;
    uint256 public deposited;
    uint256 public withdrawn;
    uint256 public rotated;
    uint256 public admittedWithDeposit;

    /// @notice Deploys the config (this contract: governance and guardian; UpgradeDelay 1 day, limits
    ///         MAX_FAN_OUT, MAX_DEPTH, MIN_STAKE) and the registry (this contract holds every role), and seeds
    ///         four members: 1 ── 2 ── 4 and 3.
    constructor(address verifier_, address verifier2_) {
        ghostTime = block.timestamp;
        ghostDelay = 1 days;
        config = new ClusterConfig(
            address(this),
            address(this),
            IClusterConfig.Params({
                forcedDeadline: 1 days,
                forcedFee: 0,
                forcedPerBlock: 16,
                electionVotingPeriod: 3 days,
                electionBond: 0,
                maxFanOut: MAX_FAN_OUT,
                maxDepth: MAX_DEPTH,
                minStake: MIN_STAKE,
                upgradeDelay: ghostDelay,
                pauseDuration: 7 days,
                delta: 1 hours
            })
        );
        registry = new ValidiumRegistry(address(this), config);
        seats = ClusterSeats(address(registry.seats()));
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        registry.grantRole(registry.APPROVER_ROLE(), address(this));
        verifier = verifier_;
        verifier2 = verifier2_;
        rejecter = address(new EtherRejecter());
        vm.deal(address(this), 1 ether);
        _admit(1, 0, governor(0), MIN_STAKE);
        _admit(2, 1, governor(1), MIN_STAKE);
        _admit(3, 0, governor(2), MIN_STAKE);
        _admit(4, 2, governor(0), MIN_STAKE);
    }

    modifier action() {
        vm.warp(ghostTime);
        _;
        _afterAction();
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Admits a chain with an id in 1..ID_RANGE (so duplicates happen; 1 in 4 an id with an admission
    ///         stake deposited, if any), usually under an Active chain that can take a child or under the
    ///         settlement chain, sometimes (1 in 8) under any known chain; 1 in 16 with id 0, a zero governance
    ///         address or a value below the minimum; with a deposit, half the time with value 0 (the deposit alone
    ///         must reach the minimum).
    function admitChain(uint256 idSeed, uint256 parentSeed, uint256 govSeed) external action {
        uint256 r = _rand(idSeed, 1);
        uint64 id = r % 16 == 0 ? 0 : uint64(1 + (idSeed % ID_RANGE));
        if ((r >> 32) % 4 == 0) id = _pickApplied(idSeed, id);
        uint64 parent;
        uint256 n = _ids.length;
        uint256 p = (r >> 8) % 8;
        if (p == 0) parent = _ids[parentSeed % n];
        else if (p == 1) parent = 0;
        else parent = _activeParent(parentSeed);
        address gov = (r >> 16) % 16 == 0 ? address(0) : governor(govSeed);
        uint256 stake = (r >> 24) % 16 == 0 ? MIN_STAKE - 1 : MIN_STAKE;
        if (ghostApplied[id] != 0 && (r >> 40) % 2 == 0) stake = 0;
        if (n >= MAX_CHAINS && _expectedAdmitError(id, parent, gov, stake + ghostApplied[id]).length == 0) return;
        _admit(id, parent, gov, stake);
    }

    /// @notice Freezes an Active chain or unfreezes a Frozen one; 1 in 8 ejects; 1 in 16 a random target.
    function setChainStatus(uint256 chainSeed, uint256 statusSeed) external action {
        uint64 id = _ids[chainSeed % _ids.length];
        uint256 k = _rand(statusSeed, 2) % 16;
        uint8 to;
        if (k == 0) to = uint8(statusSeed % 4);
        else if (k < 3) to = _EJECTED;
        else to = ghostStatus[id] == _ACTIVE ? _FROZEN : _ACTIVE;
        uint8 from = ghostStatus[id];
        bytes memory expected;
        if (from == _EJECTED || to == _NONE || to == from) {
            expected = abi.encodeWithSelector(
                IValidiumRegistry.RegistryInvalidStatusChange.selector,
                id,
                IValidiumRegistry.ChainStatus(from),
                IValidiumRegistry.ChainStatus(to)
            );
        }
        try registry.setChainStatus(ChainId.wrap(id), IValidiumRegistry.ChainStatus(to)) {
            if (expected.length != 0) return _unexpected("setChainStatus accepted", expected);
            ghostStatus[id] = to;
            if (to == _EJECTED) _dropPending(id);
            ++statusChanged;
        } catch (bytes memory err) {
            _checkRejection("setChainStatus", err, expected);
        }
    }

    /// @notice Announces a new security configuration for a chain (usually a member without a pending change,
    ///         sometimes any chain or an unknown one), as its governance (7 in 8) or a hostile caller; 1 in 16
    ///         with a zero operator.
    function announceSecurityChange(uint256 chainSeed, uint256 callerSeed, uint256 cfgSeed) external action {
        uint256 r = _rand(cfgSeed, 3);
        uint64 id = (r >> 48) % 4 == 0 ? _pickChain(chainSeed, r) : _pickIdle(chainSeed);
        address caller = (r >> 8) % 8 == 0 ? address(uint160(callerSeed)) : ghostGovernance[id];
        if (caller == address(vm)) caller = address(0xBAD);
        IValidiumRegistry.SecurityConfig memory cfg = IValidiumRegistry.SecurityConfig({
            operator: (r >> 16) % 16 == 0 ? address(0) : address(uint160(_rand(cfgSeed, 4))),
            verifier: (r >> 24) % 2 == 0 ? verifier : verifier2,
            escapeVerifier: address(uint160(cfgSeed)),
            codeHash: bytes32(_rand(cfgSeed, 5)),
            configHash: bytes32(_rand(cfgSeed, 6))
        });
        bytes memory expected = _memberError(id);
        if (expected.length == 0 && caller != ghostGovernance[id]) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNotChainGovernance.selector, id, caller);
        }
        if (expected.length == 0 && cfg.operator == address(0)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryZeroAddress.selector);
        }
        vm.prank(caller);
        try registry.announceSecurityChange(ChainId.wrap(id), cfg) returns (bytes32 h) {
            if (expected.length != 0) return _unexpected("announceSecurityChange accepted", expected);
            uint256 nonce = ++ghostNonce[id];
            if (h != keccak256(abi.encode(ChainId.wrap(id), nonce, cfg))) {
                return _unexpected("announceSecurityChange hash", abi.encode(h));
            }
            _dropPending(id);
            ghostPendingHash[id] = h;
            ghostPendingConfig[id] = keccak256(abi.encode(cfg));
            ++announced;
        } catch (bytes memory err) {
            _checkRejection("announceSecurityChange", err, expected);
        }
    }

    /// @notice Approves a chain's pending change (usually one not yet approved) by its hash (3 in 4), a stale
    ///         hash or a random one.
    function approveSecurityChange(uint256 chainSeed, bytes32 hashSeed) external action {
        uint256 r = _rand(uint256(hashSeed), 7);
        uint64 id = (r >> 48) % 4 == 0 ? _pickChain(chainSeed, r) : _pickPending(chainSeed, false);
        uint256 hm = (r >> 8) % 8;
        bytes32 h =
            hm < 6
                ? ghostPendingHash[id]
                : hm == 6
                    ? ghostStaleHash[id]
                    : hashSeed;
        bytes memory expected = _memberError(id);
        bytes32 pending = ghostPendingHash[id];
        if (expected.length == 0) {
            if (pending == bytes32(0)) {
                expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNoPendingChange.selector, id);
            } else if (h != pending) {
                expected = abi.encodeWithSelector(IValidiumRegistry.RegistryChangeMismatch.selector, id, pending, h);
            } else if (ghostApprovedAt[id] != 0) {
                expected = abi.encodeWithSelector(IValidiumRegistry.RegistryChangeAlreadyApproved.selector, id, h);
            }
        }
        try registry.approveSecurityChange(ChainId.wrap(id), h) {
            if (expected.length != 0) return _unexpected("approveSecurityChange accepted", expected);
            ghostApprovedAt[id] = uint64(block.timestamp);
            ghostDelayAtApproval[id] = uint64(ghostDelay);
            ++approved;
        } catch (bytes memory err) {
            _checkRejection("approveSecurityChange", err, expected);
        }
    }

    /// @notice Activates a chain's change (usually one with an approved change), as anyone; half the time
    ///         after moving time to its activation time or one second before it.
    function activateSecurityChange(uint256 chainSeed, address caller) external action {
        uint256 r = _rand(chainSeed, 8);
        uint64 id = (r >> 48) % 4 == 0 ? _pickChain(chainSeed, r) : _pickPending(chainSeed, true);
        bytes memory expected = _memberError(id);
        bytes32 pending = ghostPendingHash[id];
        uint64 approvedAt = ghostApprovedAt[id];
        uint64 activatesAt = approvedAt + ghostDelayAtApproval[id];
        // Half the time, first move time to the activation time (or one second before it).
        uint256 w = (r >> 56) % 4;
        if (approvedAt != 0 && w < 2 && activatesAt - w > ghostTime) {
            ghostTime = activatesAt - w;
            vm.warp(ghostTime);
        }
        if (expected.length == 0) {
            if (pending == bytes32(0)) {
                expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNoPendingChange.selector, id);
            } else if (approvedAt == 0) {
                expected = abi.encodeWithSelector(IValidiumRegistry.RegistryChangeNotApproved.selector, id, pending);
            } else if (block.timestamp < activatesAt) {
                expected = abi.encodeWithSelector(IValidiumRegistry.RegistryChangeNotReady.selector, id, activatesAt);
            }
        }
        if (caller == address(vm)) caller = address(this);
        vm.prank(caller);
        try registry.activateSecurityChange(ChainId.wrap(id)) {
            if (expected.length != 0) return _unexpected("activateSecurityChange accepted", expected);
            _activations[id].push(
                Activation({
                    changeHash: pending,
                    approvedAt: approvedAt,
                    delayAtApproval: ghostDelayAtApproval[id],
                    activatedAt: uint64(block.timestamp)
                })
            );
            ghostSecurity[id] = ghostPendingConfig[id];
            _dropPending(id);
            ++activated;
        } catch (bytes memory err) {
            _checkRejection("activateSecurityChange", err, expected);
        }
    }

    /// @notice Cancels a chain's change as its governance, the approver (this contract) or a stranger.
    function cancelSecurityChange(uint256 chainSeed, address stranger) external action {
        uint256 r = _rand(chainSeed, 9);
        uint64 id = _pickChain(chainSeed, r);
        uint256 cm = (r >> 8) % 4;
        address caller =
            cm < 2
                ? ghostGovernance[id]
                : cm == 2
                    ? address(this)
                    : stranger;
        if (caller == address(vm)) caller = address(0xBAD);
        bytes memory expected = _memberError(id);
        if (expected.length == 0 && caller != ghostGovernance[id] && caller != address(this)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNotChainGovernance.selector, id, caller);
        }
        if (expected.length == 0 && ghostPendingHash[id] == bytes32(0)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNoPendingChange.selector, id);
        }
        vm.prank(caller);
        try registry.cancelSecurityChange(ChainId.wrap(id)) {
            if (expected.length != 0) return _unexpected("cancelSecurityChange accepted", expected);
            _dropPending(id);
            ++cancelled;
        } catch (bytes memory err) {
            _checkRejection("cancelSecurityChange", err, expected);
        }
    }

    /// @notice Rotates a chain's governance (usually a member's) to a pool address, as its governance (5 in 8),
    ///         the approver (this contract), its former governance or a pool address, or anyone; 1 in 16 to the
    ///         zero address. After a rotation to another address the former governance's cancellation must fail.
    function setChainGovernance(uint256 chainSeed, uint256 callerSeed, uint256 govSeed) external action {
        uint256 r = _rand(govSeed, 13);
        uint64 id = _pickChain(chainSeed, r);
        uint256 cm = (r >> 8) % 8;
        address former = ghostFormerGovernance[id];
        address caller;
        if (cm < 5) caller = ghostGovernance[id];
        else if (cm == 5) caller = address(this);
        else if (cm == 6) caller = former != address(0) ? former : governor(callerSeed);
        else caller = address(uint160(callerSeed));
        if (caller == address(vm)) caller = address(0xBAD);
        address newGov = (r >> 16) % 16 == 0 ? address(0) : governor(govSeed);
        bytes memory expected = _memberError(id);
        if (expected.length == 0 && caller != ghostGovernance[id] && caller != address(this)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNotChainGovernance.selector, id, caller);
        }
        if (expected.length == 0 && newGov == address(0)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryZeroAddress.selector);
        }
        vm.prank(caller);
        try registry.setChainGovernance(ChainId.wrap(id), newGov) {
            if (expected.length != 0) return _unexpected("setChainGovernance accepted", expected);
            address previous = ghostGovernance[id];
            ghostGovernance[id] = newGov;
            _dropPending(id);
            ++rotated;
            if (previous == newGov) return;
            ghostFormerGovernance[id] = previous;
            // The former governance has lost its rights on the chain at once.
            vm.prank(previous);
            try registry.cancelSecurityChange(ChainId.wrap(id)) {
                _unexpected("former governance cancelled", abi.encode(id, previous));
            } catch (bytes memory err) {
                _checkRejection(
                    "former governance's cancelSecurityChange",
                    err,
                    abi.encodeWithSelector(IValidiumRegistry.RegistryNotChainGovernance.selector, id, previous)
                );
            }
        } catch (bytes memory err) {
            _checkRejection("setChainGovernance", err, expected);
        }
    }

    /// @notice Deposits an admission stake as one of the applicants: usually for a free chain id (1 in 4 as the
    ///         id's current applicant, topping up), sometimes for any id in 1..ID_RANGE (registered ones
    ///         included), 1 in 16 for id 0; 1 in 16 a zero amount and 1 in 16 an amount that overflows 96 bits.
    function depositAdmissionStake(uint256 actorSeed, uint256 idSeed, uint256 amountSeed) external action {
        uint256 r = _rand(amountSeed, 12);
        uint64 id;
        if (r % 16 == 0) id = 0;
        else if ((r >> 8) % 4 == 0) id = uint64(1 + (idSeed % ID_RANGE));
        else id = _pickFree(idSeed);
        address who = applicant(actorSeed);
        if ((r >> 16) % 4 == 0 && ghostApplicant[id] != address(0)) who = ghostApplicant[id];
        uint256 k = (r >> 24) % 16;
        uint256 amount;
        if (k == 0) amount = 0;
        else if (k == 1) amount = uint256(type(uint96).max) - ghostApplied[id] + 1 + (amountSeed % 3);
        else amount = 1 + (amountSeed % (2 * MIN_STAKE));
        uint256 total = ghostApplied[id] + amount;
        bytes memory expected;
        if (id == 0) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryReservedChainId.selector);
        } else if (ghostStatus[id] != _NONE) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryChainExists.selector, id);
        } else if (amount == 0) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryZeroDeposit.selector);
        } else if (ghostApplicant[id] != address(0) && ghostApplicant[id] != who) {
            expected = abi.encodeWithSelector(
                IValidiumRegistry.RegistryApplicationTaken.selector,
                id,
                ghostApplicant[id]
            );
        } else if (total > type(uint96).max) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryStakeTooLarge.selector, total);
        }
        vm.deal(who, amount);
        vm.prank(who);
        try registry.depositAdmissionStake{value: amount}(ChainId.wrap(id)) {
            if (expected.length != 0) return _unexpected("depositAdmissionStake accepted", expected);
            ghostApplicant[id] = who;
            ghostApplied[id] = total;
            ghostAppliedTotal += amount;
            ++deposited;
        } catch (bytes memory err) {
            _checkRejection("depositAdmissionStake", err, expected);
        }
    }

    /// @notice Withdraws an admission stake: usually (3 in 4) one that is outstanding, as its applicant (3 in 4)
    ///         or another applicant or pool address; otherwise any id in 0..ID_RANGE as any applicant. The
    ///         ETH-rejecting applicant's withdrawals fail with RegistryTransferFailed and change nothing.
    function withdrawAdmissionStake(uint256 actorSeed, uint256 idSeed) external action {
        uint256 r = _rand(idSeed, 14);
        uint64 id =
            (r % 4 == 0) ? uint64(idSeed % (ID_RANGE + 1)) : _pickApplied(idSeed, uint64(idSeed % (ID_RANGE + 1)));
        address caller;
        if ((r >> 8) % 4 != 0 && ghostApplicant[id] != address(0)) caller = ghostApplicant[id];
        else if ((r >> 16) % 2 == 0) caller = applicant(actorSeed);
        else caller = governor(actorSeed);
        uint256 amount = ghostApplied[id];
        bytes memory expected;
        if (ghostApplicant[id] != caller || amount == 0) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNoApplication.selector, id, caller);
        } else if (caller == rejecter) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryTransferFailed.selector, caller, amount);
        }
        uint256 balance = caller.balance;
        vm.prank(caller);
        try registry.withdrawAdmissionStake(ChainId.wrap(id)) {
            if (expected.length != 0) return _unexpected("withdrawAdmissionStake accepted", expected);
            if (caller.balance != balance + amount) _unexpected("withdrawAdmissionStake refund", abi.encode(id));
            ghostApplicant[id] = address(0);
            ghostApplied[id] = 0;
            ghostAppliedTotal -= amount;
            ++withdrawn;
        } catch (bytes memory err) {
            _checkRejection("withdrawAdmissionStake", err, expected);
        }
    }

    /// @notice Sets the UpgradeDelay to a value in [1 hour, 3 days]: approvals made before keep their delay.
    function setUpgradeDelay(uint256 seed) external action {
        uint256 d = 1 hours + (seed % (3 days - 1 hours + 1));
        config.setParam(_UPGRADE_DELAY, d);
        ghostDelay = d;
    }

    /// @notice Moves time forward by 1 second to 2 days, or (1 in 3) to the next activation time of an
    ///         approved change, or one second before it.
    function warp(uint256 by) external action {
        uint256 next = _nextActivation();
        uint256 r = _rand(by, 11) % 6;
        if (next > ghostTime && r < 2) ghostTime = next - r;
        else ghostTime += 1 + (by % 2 days);
        vm.warp(ghostTime);
    }

    /*//////////////////////////////////////////////////////////////
                              GHOST VIEWS
    //////////////////////////////////////////////////////////////*/

    function chainIds() external view returns (uint64[] memory) {
        return _ids;
    }

    function activations(uint64 id) external view returns (Activation[] memory) {
        return _activations[id];
    }

    /// @notice The i-th applicant: three accounts, then the ETH-rejecting contract.
    function applicant(uint256 i) public view returns (address) {
        uint256 k = i % APPLICANTS;
        return k == APPLICANTS - 1 ? rejecter : address(uint160(0xA000 + k));
    }

    /// @notice The i-th governance address of the pool.
    function governor(uint256 i) public pure returns (address) {
        return address(uint160(0x6000 + (i % GOVERNORS)));
    }

    /// @notice Number of member chains (Active or Frozen) in the ghost.
    function ghostMemberCount() public view returns (uint256 count) {
        for (uint256 i; i < _ids.length; ++i) {
            if (isMember(_ids[i])) ++count;
        }
    }

    /// @notice Number of member chains whose governance is `holder`, in the ghost.
    function ghostSeatsOf(address holder) external view returns (uint256 count) {
        for (uint256 i; i < _ids.length; ++i) {
            if (isMember(_ids[i]) && ghostGovernance[_ids[i]] == holder) ++count;
        }
    }

    function isMember(uint64 id) public view returns (bool) {
        return ghostStatus[id] == _ACTIVE || ghostStatus[id] == _FROZEN;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _admit(uint64 id, uint64 parent, address gov, uint256 stake) internal {
        uint256 applied = ghostApplied[id];
        bytes memory expected = _expectedAdmitError(id, parent, gov, stake + applied);
        IValidiumRegistry.Admission memory a = IValidiumRegistry.Admission({
            chainId: ChainId.wrap(id),
            parent: ChainId.wrap(parent),
            governance: gov,
            security: IValidiumRegistry.SecurityConfig({
                operator: address(uint160(_rand(id, 10))),
                verifier: verifier,
                escapeVerifier: address(0),
                codeHash: keccak256(abi.encode("code", id)),
                configHash: bytes32(0)
            }),
            genesisRoot: keccak256(abi.encode("genesis", id))
        });
        try registry.admitChain{value: stake}(a) {
            if (expected.length != 0) return _unexpected("admitChain accepted", expected);
            _ids.push(id);
            ghostStatus[id] = _ACTIVE;
            ghostParent[id] = parent;
            ghostGovernance[id] = gov;
            ghostSecurity[id] = keccak256(abi.encode(a.security));
            ghostStake[id] = stake + applied;
            ghostStakeTotal += stake + applied;
            if (applied != 0) {
                ghostAppliedTotal -= applied;
                ghostApplied[id] = 0;
                ghostApplicant[id] = address(0);
                ++admittedWithDeposit;
            }
            if (parent == 0) {
                ghostDepth[id] = 1;
                ++ghostRootChildCount;
            } else {
                ghostDepth[id] = ghostDepth[parent] + 1;
                ++ghostChildCount[parent];
            }
            ++admitted;
        } catch (bytes memory err) {
            _checkRejection("admitChain", err, expected);
        }
    }

    /// @dev The error an admission should give, in the registry's check order; `stake` is the total (the value
    ///      sent plus the admission stake deposited for `id`).
    function _expectedAdmitError(
        uint64 id,
        uint64 parent,
        address gov,
        uint256 stake
    ) internal view returns (bytes memory) {
        if (gov == address(0)) return abi.encodeWithSelector(IValidiumRegistry.RegistryZeroAddress.selector);
        if (id == 0) return abi.encodeWithSelector(IValidiumRegistry.RegistryReservedChainId.selector);
        if (ghostStatus[id] != _NONE) return abi.encodeWithSelector(IValidiumRegistry.RegistryChainExists.selector, id);
        if (stake < MIN_STAKE) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, stake, MIN_STAKE);
        }
        if (stake > type(uint96).max) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryStakeTooLarge.selector, stake);
        }
        if (parent == 0) {
            if (ghostRootChildCount >= MAX_FAN_OUT) {
                return abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, 0, MAX_FAN_OUT);
            }
            return "";
        }
        if (ghostStatus[parent] != _ACTIVE) {
            return
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryChainNotActive.selector,
                    parent,
                    IValidiumRegistry.ChainStatus(ghostStatus[parent])
                );
        }
        if (ghostDepth[parent] + 1 > MAX_DEPTH) {
            return
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryDepthExceeded.selector,
                    ghostDepth[parent] + 1,
                    MAX_DEPTH
                );
        }
        if (ghostChildCount[parent] >= MAX_FAN_OUT) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, parent, MAX_FAN_OUT);
        }
        return "";
    }

    /// @dev The first chain id in 1..ID_RANGE from a random start with an outstanding admission stake, else
    ///      `fallbackId`.
    function _pickApplied(uint256 seed, uint64 fallbackId) internal view returns (uint64) {
        for (uint256 k; k < ID_RANGE; ++k) {
            uint64 id = uint64(1 + ((seed + k) % ID_RANGE));
            if (ghostApplied[id] != 0) return id;
        }
        return fallbackId;
    }

    /// @dev The first unregistered chain id in 1..ID_RANGE from a random start (there is always one: at most
    ///      MAX_CHAINS < ID_RANGE are registered).
    function _pickFree(uint256 seed) internal view returns (uint64) {
        for (uint256 k; k < ID_RANGE; ++k) {
            uint64 id = uint64(1 + ((seed + k) % ID_RANGE));
            if (ghostStatus[id] == _NONE) return id;
        }
        return uint64(1 + (seed % ID_RANGE));
    }

    /// @dev The first Active chain from a random start that can take a child, else 0 (the settlement chain).
    function _activeParent(uint256 seed) internal view returns (uint64) {
        uint256 n = _ids.length;
        for (uint256 k; k < n; ++k) {
            uint64 id = _ids[(seed + k) % n];
            if (ghostStatus[id] == _ACTIVE && ghostDepth[id] < MAX_DEPTH && ghostChildCount[id] < MAX_FAN_OUT) {
                return id;
            }
        }
        return 0;
    }

    /// @dev A known chain (a member 3 times in 4, when there is one), or 1 in 32 an unknown id.
    function _pickChain(uint256 seed, uint256 r) internal view returns (uint64) {
        if ((r >> 32) % 32 == 0) return uint64(ID_RANGE + 1 + (seed % 1000));
        uint256 n = _ids.length;
        uint256 start = seed % n;
        if ((r >> 40) % 4 != 0) {
            for (uint256 k; k < n; ++k) {
                uint64 id = _ids[(start + k) % n];
                if (isMember(id)) return id;
            }
        }
        return _ids[start];
    }

    /// @dev A member with a pending change that is approved (`isApproved`) or not, searching from a random
    ///      start; any chain when there is none.
    function _pickPending(uint256 seed, bool isApproved) internal view returns (uint64) {
        uint256 n = _ids.length;
        uint256 start = seed % n;
        for (uint256 k; k < n; ++k) {
            uint64 id = _ids[(start + k) % n];
            if (ghostPendingHash[id] != bytes32(0) && (ghostApprovedAt[id] != 0) == isApproved) return id;
        }
        return _ids[start];
    }

    /// @dev A member without a pending change, searching from a random start; any chain when there is none.
    function _pickIdle(uint256 seed) internal view returns (uint64) {
        uint256 n = _ids.length;
        uint256 start = seed % n;
        for (uint256 k; k < n; ++k) {
            uint64 id = _ids[(start + k) % n];
            if (isMember(id) && ghostPendingHash[id] == bytes32(0)) return id;
        }
        return _ids[start];
    }

    /// @dev The earliest activation time of an approved change, or 0 if none.
    function _nextActivation() internal view returns (uint256 next) {
        for (uint256 i; i < _ids.length; ++i) {
            uint64 id = _ids[i];
            if (ghostApprovedAt[id] == 0) continue;
            uint256 at = uint256(ghostApprovedAt[id]) + ghostDelayAtApproval[id];
            if (next == 0 || at < next) next = at;
        }
    }

    /// @dev The error of a governance-gated call on `id` that is not a member: unknown, then ejected.
    function _memberError(uint64 id) internal view returns (bytes memory) {
        if (ghostStatus[id] == _NONE) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, id);
        }
        if (ghostStatus[id] == _EJECTED) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryNotMember.selector, id);
        }
        return "";
    }

    function _dropPending(uint64 id) internal {
        if (ghostPendingHash[id] != bytes32(0)) ghostStaleHash[id] = ghostPendingHash[id];
        ghostPendingHash[id] = bytes32(0);
        ghostPendingConfig[id] = bytes32(0);
        ghostApprovedAt[id] = 0;
        ghostDelayAtApproval[id] = 0;
    }

    /// @dev After every action: every chain's security configuration must be the ghost's (it moves only in a
    ///      predicted activation), its pending change must match the ghost's, and every pool address's votes
    ///      at the previous distinct timestamp must equal the seats it held then.
    function _afterAction() internal {
        _checkPastVotes();
        for (uint256 i; i < _ids.length; ++i) {
            uint64 id = _ids[i];
            ChainId c = ChainId.wrap(id);
            if (keccak256(abi.encode(registry.securityConfig(c))) != ghostSecurity[id]) ++securityDrifts;
            IValidiumRegistry.PendingSecurityChange memory p = registry.pendingSecurityChange(c);
            bool same =
                p.changeHash == ghostPendingHash[id] &&
                    p.approvedAt == ghostApprovedAt[id] &&
                    p.activatesAt == (ghostApprovedAt[id] == 0 ? 0 : ghostApprovedAt[id] + ghostDelayAtApproval[id]) &&
                    (p.changeHash == bytes32(0) || keccak256(abi.encode(p.config)) == ghostPendingConfig[id]);
            if (!same) _unexpected("pending change differs from the ghost", abi.encode(id));
        }
    }

    function _checkPastVotes() internal {
        if (block.timestamp != ghostLastTime) {
            ghostPrevTime = ghostLastTime;
            ghostLastTime = block.timestamp;
            for (uint256 i; i < GOVERNORS; ++i) {
                ghostSeatsAtPrev[governor(i)] = ghostSeatsAtLast[governor(i)];
            }
        }
        for (uint256 i; i < GOVERNORS; ++i) {
            address holder = governor(i);
            ghostSeatsAtLast[holder] = seats.balanceOf(holder);
            if (ghostPrevTime != 0) {
                ++pastVotesChecks;
                if (seats.getPastVotes(holder, ghostPrevTime) != ghostSeatsAtPrev[holder]) ++pastVotesMismatches;
            }
        }
    }

    function _rand(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }
}
