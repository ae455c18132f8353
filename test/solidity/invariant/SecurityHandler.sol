// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ClusterConfig} from "../../../contracts/governance/ClusterConfig.sol";
import {IEmergencyElection} from "../../../contracts/interfaces/IEmergencyElection.sol";
import {IPoseidon4} from "../../../contracts/interfaces/IPoseidon4.sol";
import {IRequestQueue} from "../../../contracts/interfaces/IRequestQueue.sol";
import {IValidiumRegistry} from "../../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../../contracts/registry/ValidiumRegistry.sol";
import {EmergencyElection} from "../../../contracts/security/EmergencyElection.sol";
import {RequestQueue} from "../../../contracts/settlement/RequestQueue.sol";
import {ChainId} from "../../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../../contracts/types/UpdatePublicData.sol";
import {LedgerSignatureVerifier} from "../../../contracts/verifiers/LedgerSignatureVerifier.sol";

import {ConfigDefaults} from "../utils/ConfigDefaults.sol";
import {MockPoseidon4} from "../utils/MockPoseidon4.sol";
import {KeccakPoseidon2, KeccakPoseidon3, KeccakPoseidon5} from "../utils/MockPoseidons.sol";
import {AcceptingVerifier} from "../utils/Verifiers.sol";
import {VM, Vm} from "../utils/Vm.sol";

import {OutcomeLog} from "./OutcomeLog.sol";

/// @notice An initiator without receive or fallback: every payment the election pushes to it fails and is
///         credited to `owed` (the deferred-payment path of EmergencyElection).
contract ElectionPaymentRejecter {}

/// @title SecurityHandler
/// @notice The invariant fuzzer's actor for settlement security: deposits into chains, forced messages, updates
///         consuming the request queue (some committing a one-entry withdrawal root that is claimed later),
///         update attempts on chains that are not Active, time moves, freezes through overdue forced requests
///         and through the status role, deposit reclaims from frozen chains, fee claims, unfreeze attempts,
///         emergency elections (start, vote, finalize) and subtree relocations. Every call's outcome is predicted
///         first from the ghost state (about 15 % of the calls are built to fail), and a call that is accepted
///         against the prediction, or rejected with any other error than the predicted one, is counted in
///         `unexpectedOutcomes` (OutcomeLog).
/// @dev Invariants the suite checks from this ghost (SecurityInvariants.t.sol):
///      - per chain, ETH paid out (claims + reclaims) ≤ ETH deposited, and the queue's escrow is their difference;
///      - the queue's balance is Σ escrow + Σ (forced fees paid − fees claimed);
///      - no update is ever accepted on a chain that is not Active;
///      - each reclaimed deposit position is paid exactly once, to its refund address;
///      - every successful election had 2·votes > electorate, recounted by brute force BEFORE `finalize`;
///      - a chain whose hatch has paid is never Active;
///      - b of every chain is the brute-force count of Active chains in its ghost subtree;
///      - the election contract holds exactly the bonds of Open elections plus what it owes.
///      The handler deploys everything and holds the registry's admin, registrar, status and relocator roles; the
///      queue holds FREEZER_ROLE and the election contract ELECTION_ROLE. Tree (fan-out ≤ 3, depth ≤ 3):
///      P(1) ── A(2) ── G(4), P ── B(3), and Q(5), all top-level chains under the settlement root. Block number and
///      time live in `ghostBlock` / `ghostTime` and are re-applied at the start of every action. Where a
///      prediction depends on the registry's finality (the finalized commitment's queue position, its withdrawal
///      roots), the handler reads the registry, whose finality is checked by RegistryInvariants.
// solhint-disable-next-line max-states-count
contract SecurityHandler is OutcomeLog {
    /// @notice A queued item: its three words and, for forced requests, the stored deadline.
    struct Item {
        uint256 w0;
        uint256 w1;
        uint256 w2;
        uint64 deadline;
    }

    /// @notice A committed one-entry withdrawal list: commitment index, recipient and ETH amount.
    struct Withdrawal {
        uint32 index;
        address recipient;
        uint256 amount;
    }

    /// @notice The ghost of one election.
    struct Elect {
        uint64 chain;
        uint64 epoch;
        uint64 deadline;
        address candidate;
        address initiator;
        uint8 state;
    }

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    ClusterConfig public immutable config;
    ValidiumRegistry public immutable registry;
    RequestQueue public immutable queue;
    EmergencyElection public immutable election;
    KeccakPoseidon3 public immutable p3;
    address public immutable verifier;
    address public immutable rejecter;

    uint64[] internal _ids;
    mapping(uint64 => uint64) public ghostParent;
    mapping(uint64 => uint8) public ghostStatus;
    mapping(uint64 => address) public ghostOperator;
    mapping(uint64 => uint256) public ghostOperatorSince;
    mapping(uint64 => uint256) public ghostStake;
    mapping(uint64 => bool) public ghostHatchUsed;

    mapping(uint64 => uint256) public ghostDeposited;
    mapping(uint64 => uint256) public ghostPaid;
    mapping(uint64 => uint256) public ghostFeesPaid;
    mapping(uint64 => uint256) public ghostFeesClaimed;
    mapping(uint64 => Item[]) internal _items;
    /// @dev Successful reclaims per (chain, position): must never exceed 1.
    mapping(uint64 => mapping(uint64 => uint256)) public reclaimPayments;
    uint256 public ghostReclaimedTotal;
    mapping(uint64 => Withdrawal[]) internal _withdrawals;
    mapping(uint64 => mapping(uint32 => bool)) internal _claimedIndex;
    /// @dev The chain of the newest committed withdrawal root (0: none yet).
    uint64 internal _lastWithdrawalChain;
    uint256 public ghostClaimedTotal;
    uint256 public ghostFeeSinkTotal;

    Elect[] internal _elections;
    mapping(uint64 => uint64) public ghostEpoch;
    /// @dev chain → epoch → voter → election id voted for (0: none).
    mapping(uint64 => mapping(uint64 => mapping(uint64 => uint256))) internal _voteOf;
    mapping(address => uint256) public ghostOwed;
    uint256 public ghostTreasury;

    uint256 public ghostTime;
    uint256 public ghostBlock;
    uint256 internal _rateBlock;
    uint256 internal _rateCount;

    /// @dev Safety counters (must stay 0).
    uint256 public nonActiveUpdatesAccepted;
    uint256 public successesWithoutMajority;
    /// @dev Successful finalizations whose majority was recounted by brute force before the call.
    uint256 public successesWithMajority;

    /// @dev Action statistics: actions called, and accepted calls per kind (rejections are counted in `rejected`).
    uint256 public calls;
    uint256 public deposits;
    uint256 public forcedMessages;
    uint256 public updates;
    uint256 public updatesWithWithdrawal;
    uint256 public nonActiveUpdateAttempts;
    uint256 public timeMoves;
    uint256 public freezes;
    uint256 public adminFreezes;
    uint256 public unfreezes;
    uint256 public unfreezesRefusedHatch;
    uint256 public reclaims;
    uint256 public withdrawalClaims;
    uint256 public feeClaims;
    uint256 public feeClaimsPaying;
    uint256 public electionsStarted;
    uint256 public votesCast;
    uint256 public electionsSucceeded;
    uint256 public electionsExpired;
    uint256 public electionsSuperseded;
    uint256 public relocations;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    // solhint-disable-next-line const-name-snakecase
    Vm internal constant vm = VM;

    uint64 public constant N = 5;
    uint64 public constant UNKNOWN = 9;
    uint16 public constant MAX_FAN_OUT = 3;
    uint8 public constant MAX_DEPTH = 3;
    uint256 public constant FEE = 1e15;
    uint256 public constant BOND = 1 ether;
    uint256 public constant FORCED_DEADLINE = 7 days;
    uint256 public constant VOTING_PERIOD = 3 days;
    uint256 public constant FORCED_PER_BLOCK = 10;
    uint256 public constant POOL = 3;
    address public constant TREASURY = address(0x7EA5);
    address public constant FEE_SINK = address(0xFEE5);
    address public constant STRANGER = address(0xBAD);

    uint256 internal constant _R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint8 internal constant _ACTIVE = uint8(IValidiumRegistry.ChainStatus.Active);
    uint8 internal constant _FROZEN = uint8(IValidiumRegistry.ChainStatus.Frozen);
    uint8 internal constant _OPEN = uint8(IEmergencyElection.ElectionState.Open);
    uint8 internal constant _SUCCEEDED = uint8(IEmergencyElection.ElectionState.Succeeded);
    uint8 internal constant _EXPIRED = uint8(IEmergencyElection.ElectionState.Expired);
    uint8 internal constant _SUPERSEDED = uint8(IEmergencyElection.ElectionState.Superseded);

    /*//////////////////////////////////////////////////////////////
                               FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Deploys the configuration, registry, queue (bound, FREEZER_ROLE), election (ELECTION_ROLE, treasury
    ///         TREASURY) and the five chains with stakes of id · 0.1 ether.
    constructor() {
        vm.deal(address(this), 1e9 ether);
        ghostTime = block.timestamp;
        ghostBlock = block.number;
        config = ConfigDefaults.deploy(address(this), MAX_FAN_OUT, MAX_DEPTH, 0);
        registry = new ValidiumRegistry(address(this), config);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        registry.grantRole(registry.RELOCATOR_ROLE(), address(this));
        MockPoseidon4 p4 = new MockPoseidon4();
        KeccakPoseidon2 p2 = new KeccakPoseidon2();
        p3 = new KeccakPoseidon3();
        LedgerSignatureVerifier sv = new LedgerSignatureVerifier(p2, IPoseidon4(address(p4)), new KeccakPoseidon5());
        queue = new RequestQueue(registry, p4, p2, p3, sv, address(this));
        registry.bindRequestQueue(queue);
        registry.grantRole(registry.FREEZER_ROLE(), address(queue));
        election = new EmergencyElection(registry, TREASURY);
        registry.grantRole(registry.ELECTION_ROLE(), address(election));
        rejecter = address(new ElectionPaymentRejecter());
        verifier = address(new AcceptingVerifier());
        _register(1, 0);
        _register(2, 1);
        _register(3, 1);
        _register(4, 2);
        _register(5, 0);
    }

    modifier action() {
        ++calls;
        vm.warp(ghostTime);
        vm.roll(ghostBlock);
        _;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Deposits 1 wei .. 10 ether into a chain (an Active one 15 times in 16; an unknown id 1 in 32),
    ///         with a refund address of the pool; hostile 1 in 16 each: zero amount, zero key hash, zero refund.
    function depositEth(uint256 chainSeed, uint256 amountSeed) external action {
        uint256 r = _rand(amountSeed, 1);
        uint64 id = r % 32 == 0 ? UNKNOWN : _pick(chainSeed, r % 16 != 1 ? _ACTIVE : _FROZEN);
        uint256 amount = 1 + (amountSeed % 10 ether);
        uint256 keyHash = 1 + ((r >> 8) % 1000);
        address refund = refundAddress((r >> 16) % POOL);
        uint256 h = (r >> 24) % 16;
        if (h == 0) amount = 0;
        if (h == 1) keyHash = 0;
        if (h == 2) refund = address(0);
        bytes memory expected;
        uint8 status = ghostStatus[id];
        if (status != _ACTIVE) {
            expected = _err(IRequestQueue.RequestQueueChainNotActive.selector, id, status);
        } else if (amount == 0) {
            expected = abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, 0);
        } else if (keyHash == 0) {
            expected = abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, 0);
        } else if (refund == address(0)) {
            expected = abi.encodeWithSelector(IRequestQueue.RequestQueueZeroRefund.selector);
        }
        uint32 accountIndex = uint32(r >> 32);
        try queue.depositEth{value: amount}(ChainId.wrap(id), accountIndex, keyHash, refund) returns (uint64 pos) {
            if (expected.length != 0) return _unexpected("depositEth accepted", expected);
            uint256 w0 = 1 | (uint256(accountIndex) << 40) | (amount << 72);
            _items[id].push(Item({w0: w0, w1: keyHash, w2: uint256(uint160(refund)), deadline: 0}));
            if (pos != _items[id].length) _unexpected("depositEth position", abi.encode(pos));
            ghostDeposited[id] += amount;
            ++deposits;
        } catch (bytes memory err) {
            _checkRejection("depositEth", err, expected);
        }
    }

    /// @notice Queues a forced message on a chain (an Active one 15 times in 16) with the exact fee, or (1 in 8) a
    ///         wrong fee; the cluster-wide limit of FORCED_PER_BLOCK per block is predicted from the ghost.
    function forceMessage(uint256 chainSeed, bytes32 payload) external action {
        uint256 r = _rand(uint256(payload), 2);
        uint64 id = _pick(chainSeed, r % 16 != 0 ? _ACTIVE : _FROZEN);
        uint256 fee = (r >> 8) % 8 == 0 ? FEE + 1 - ((r >> 16) % 2) * (FEE + 1) : FEE;
        uint256 count = _rateBlock == block.number ? _rateCount : 0;
        bytes memory expected;
        uint8 status = ghostStatus[id];
        if (status != _ACTIVE) {
            expected = _err(IRequestQueue.RequestQueueChainNotActive.selector, id, status);
        } else if (fee != FEE) {
            expected = abi.encodeWithSelector(IRequestQueue.RequestQueueWrongFee.selector, fee, FEE);
        } else if (count >= FORCED_PER_BLOCK) {
            expected = abi.encodeWithSelector(
                IRequestQueue.RequestQueueRateLimited.selector,
                block.number,
                FORCED_PER_BLOCK
            );
        }
        try queue.forceMessage{value: fee}(ChainId.wrap(id), payload) returns (uint64 pos) {
            if (expected.length != 0) return _unexpected("forceMessage accepted", expected);
            uint256 w1 = uint256(keccak256(abi.encode(ChainId.wrap(id), address(this), payload))) % _R;
            uint64 deadline = uint64(block.timestamp + FORCED_DEADLINE);
            _items[id].push(Item({w0: 3, w1: w1, w2: uint256(uint160(address(this))), deadline: deadline}));
            if (pos != _items[id].length) _unexpected("forceMessage position", abi.encode(pos));
            if (queue.forcedDeadline(ChainId.wrap(id), pos) != deadline) _unexpected("forced deadline", "");
            ghostFeesPaid[id] += FEE;
            _rateBlock = block.number;
            _rateCount = count + 1;
            ++forcedMessages;
        } catch (bytes memory err) {
            _checkRejection("forceMessage", err, expected);
        }
    }

    /// @notice An update of an Active chain by its operator consuming the next 0..k queue items (a point from
    ///         `hashAt`), with an ack in [previous ack, block] (half of the time: one block later, acknowledging
    ///         it, which is what finalizes commitments), committing (1 in 3) a one-entry withdrawal root
    ///         of at most the escrow (1 in 8, or with an empty escrow: up to escrow + 1 ether, so some claims
    ///         exceed the escrow). Hostile, 1 in 20 each: a
    ///         stranger calls, the ack is in the future, the queue hash is not a queue point.
    function update(uint256 chainSeed, uint256 kSeed, uint256 ackSeed) external action {
        uint256 r = _rand(ackSeed, 3);
        uint64 id = _pick(chainSeed, _ACTIVE);
        if ((r >> 40) % 2 == 0) {
            vm.roll(++ghostBlock);
            ackSeed = type(uint256).max;
        }
        (UpdatePublicData memory data, uint64 len) = _updateData(id, kSeed, ackSeed);
        address caller = ghostOperator[id];
        uint256 mode = (r >> 8) % 20;
        Withdrawal memory w;
        if (mode == 0) caller = STRANGER;
        if (mode == 1) data.ackBlock = uint64(block.number + 1 + (ackSeed % 100));
        bool badPoint = mode == 2 && len > data.queuePosition;
        if (badPoint) {
            data.queuePosition = uint64(data.queuePosition + 1 + (kSeed % (len - data.queuePosition)));
            data.queueHash = keccak256(abi.encode(data.queueHash));
        } else if ((r >> 16) % 3 == 0) {
            w.recipient = withdrawalRecipient((r >> 24) % POOL);
            uint256 held = ghostDeposited[id] - ghostPaid[id];
            w.amount = 1 + ((r >> 32) % ((r >> 48) % 8 == 0 || held == 0 ? held + 1 ether : held));
            data.withdrawalRoot = bytes32(p3.hash([uint256(uint160(w.recipient)), 0, w.amount]));
        }
        bytes memory expected;
        if (caller != ghostOperator[id]) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNotOperator.selector, id, caller);
        } else if (ghostStatus[id] != _ACTIVE) {
            expected = _err(IValidiumRegistry.RegistryChainNotActive.selector, id, ghostStatus[id]);
        } else if (data.ackBlock > block.number) {
            expected = abi.encodeWithSelector(
                IValidiumRegistry.RegistryAckInFuture.selector,
                data.ackBlock,
                block.number
            );
        } else if (badPoint) {
            expected = abi.encodeWithSelector(
                IValidiumRegistry.RegistryBadQueuePoint.selector,
                id,
                data.queuePosition,
                data.queueHash
            );
        }
        _submit(id, data, caller, expected, w);
    }

    /// @notice One block later, a well-formed update acknowledging the new block (the move that finalizes) of
    ///         the chain that last committed a withdrawal root (1 in 4), one of its Active strict descendants
    ///         (1 in 4), or a random Active chain, consuming 0..k queue items.
    function updateAckNow(uint256 chainSeed, uint256 kSeed) external action {
        vm.roll(++ghostBlock);
        uint64 id = _pick(chainSeed, _ACTIVE);
        uint64 last = _lastWithdrawalChain;
        uint256 mode = _rand(kSeed, 13) % 4;
        if (mode == 0 && last != 0) id = last;
        for (uint64 k; mode == 1 && k < N; ++k) {
            uint64 v = _ids[(chainSeed + k) % N];
            if (ghostStatus[v] == _ACTIVE && _isStrictDescendant(v, last)) {
                id = v;
                break;
            }
        }
        (UpdatePublicData memory data, ) = _updateData(id, kSeed, type(uint256).max);
        bytes memory expected;
        if (ghostStatus[id] != _ACTIVE) {
            expected = _err(IValidiumRegistry.RegistryChainNotActive.selector, id, ghostStatus[id]);
        }
        Withdrawal memory none;
        _submit(id, data, ghostOperator[id], expected, none);
    }

    /// @notice An update attempt, by its operator and otherwise well-formed, on a chain that is not Active: it
    ///         must fail `RegistryChainNotActive` (no-op while every chain is Active).
    function updateNonActive(uint256 chainSeed, uint256 kSeed) external action {
        uint64 id = _pick(chainSeed, _FROZEN);
        if (ghostStatus[id] == _ACTIVE) return;
        (UpdatePublicData memory data, ) = _updateData(id, kSeed, kSeed >> 64);
        bytes memory expected = _err(IValidiumRegistry.RegistryChainNotActive.selector, id, ghostStatus[id]);
        ++nonActiveUpdateAttempts;
        Withdrawal memory none;
        _submit(id, data, ghostOperator[id], expected, none);
    }

    /// @notice Moves time forward by up to 4 days (1 in 4: 7 to 11 days, past a forced deadline) and the block
    ///         number by 1 to 5.
    function advanceTime(uint256 secondsSeed, uint256 blocksSeed) external action {
        uint256 dt = secondsSeed % 4 days;
        if ((secondsSeed >> 128) % 4 == 0) dt += 7 days;
        ghostTime += dt;
        ghostBlock += 1 + (blocksSeed % 5);
        vm.warp(ghostTime);
        vm.roll(ghostBlock);
        ++timeMoves;
    }

    /// @notice Anyone (a stranger) freezes a chain over a queue position: usually its newest forced request
    ///         (or a random forced one), sometimes (1 in 5) any position up to length + 1; 1 in 32 an unknown chain.
    function freeze(uint256 chainSeed, uint256 posSeed) external action {
        uint256 r = _rand(posSeed, 4);
        uint64 id = r % 32 == 0 ? UNKNOWN : _pick(chainSeed, _ACTIVE);
        Item[] storage items = _items[id];
        uint64 len = uint64(items.length);
        uint64 pos = uint64(posSeed % (len + 2));
        uint256 mode = (r >> 8) % 10;
        if (mode < 8) {
            for (uint64 k; k < len; ++k) {
                uint64 p = mode < 5 ? len - k : uint64(((posSeed >> 64) + k) % len) + 1;
                if (items[p - 1].deadline != 0) {
                    pos = p;
                    break;
                }
            }
        }
        bytes memory expected = _expectFreeze(id, pos, len);
        vm.prank(STRANGER);
        try queue.freeze(ChainId.wrap(id), pos) {
            if (expected.length != 0) return _unexpected("freeze accepted", expected);
            ghostStatus[id] = _FROZEN;
            ++freezes;
        } catch (bytes memory err) {
            _checkRejection("freeze", err, expected);
        }
    }

    /// @notice Reclaims a deposit of a chain (a Frozen one 15 times in 16) with the words of the ghost's queued
    ///         item; hostile 1 in 20 each: a wrong word, position 0, a position past the end, a forced item.
    function reclaimDeposit(uint256 chainSeed, uint256 itemSeed) external action {
        uint256 r = _rand(itemSeed, 5);
        uint64 id = _pick(chainSeed, r % 16 != 0 ? _FROZEN : _ACTIVE);
        Item[] storage items = _items[id];
        uint64 len = uint64(items.length);
        uint256 mode = (r >> 8) % 20;
        uint64 pos = uint64(itemSeed % (len + 1));
        for (uint64 k; k < len; ++k) {
            uint64 p = uint64((itemSeed + k) % len) + 1;
            if ((items[p - 1].w0 & 0xff == 3) == (mode == 3)) {
                pos = p;
                break;
            }
        }
        if (mode == 1) pos = 0;
        if (mode == 2) pos = len + 1;
        Item memory it;
        if (pos != 0 && pos <= len) it = items[pos - 1];
        if (mode == 0) it.w1 += 1;
        bytes memory expected = _expectReclaim(id, pos, len, it);
        address refund = address(uint160(it.w2));
        uint256 before = refund.balance;
        vm.prank(STRANGER);
        try queue.reclaimDeposit(ChainId.wrap(id), pos, it.w0, it.w1, it.w2) {
            if (expected.length != 0) return _unexpected("reclaimDeposit accepted", expected);
            uint256 amount = it.w0 >> 72;
            if (refund.balance != before + amount) _unexpected("reclaim payment", abi.encode(refund.balance));
            ++reclaimPayments[id][pos];
            ghostPaid[id] += amount;
            ghostReclaimedTotal += amount;
            ghostHatchUsed[id] = true;
            ++reclaims;
        } catch (bytes memory err) {
            _checkRejection("reclaimDeposit", err, expected);
        }
    }

    /// @notice Claims a committed withdrawal (of the first chain from a random one that has any; any chain
    ///         status) as a stranger; hostile 1 in 10: the amount is off
    ///         by one (wrong proof). Claims of pending, discarded or replaced commitments are predicted to fail.
    function claimWithdrawal(uint256 chainSeed, uint256 wSeed) external action {
        uint64 id;
        for (uint64 k; k < N && id == 0; ++k) {
            uint64 c = _ids[(chainSeed + k) % N];
            if (_withdrawals[c].length != 0) id = c;
        }
        if (id == 0) return;
        uint256 n = _withdrawals[id].length;
        Withdrawal memory w = _withdrawals[id][wSeed % n];
        if (_rand(wSeed, 6) % 10 == 0) w.amount += 1;
        bytes memory expected = _expectClaim(id, w);
        uint256 before = w.recipient.balance;
        vm.prank(STRANGER);
        try queue.claimWithdrawal(ChainId.wrap(id), w.index, 0, w.recipient, 0, w.amount, new uint256[](0)) {
            if (expected.length != 0) return _unexpected("claimWithdrawal accepted", expected);
            if (w.recipient.balance != before + w.amount) _unexpected("claim payment", "");
            _claimedIndex[id][w.index] = true;
            ghostPaid[id] += w.amount;
            ghostClaimedTotal += w.amount;
            ++withdrawalClaims;
        } catch (bytes memory err) {
            _checkRejection("claimWithdrawal", err, expected);
        }
    }

    /// @notice The operator of a chain (the first from a random one with claimable fees, if any) claims its fees
    ///         to FEE_SINK: the forced fees up to the finalized commitment's
    ///         queue position, less those claimed; hostile 1 in 16 each: a stranger calls, the recipient is zero.
    function claimFees(uint256 chainSeed, uint256 modeSeed) external action {
        uint64 id = _ids[chainSeed % N];
        for (uint64 k; k < N; ++k) {
            uint64 c = _ids[(chainSeed + k) % N];
            if (queue.claimableFees(ChainId.wrap(c)) != 0) {
                id = c;
                break;
            }
        }
        uint256 mode = _rand(modeSeed, 7) % 16;
        address caller = mode == 0 ? STRANGER : ghostOperator[id];
        address to = mode == 1 ? address(0) : FEE_SINK;
        uint256 cumulative = FEE * _forcedUpTo(id, _finalizedPosition(id));
        uint256 due = cumulative > ghostFeesClaimed[id] ? cumulative - ghostFeesClaimed[id] : 0;
        bytes memory expected;
        if (caller != ghostOperator[id]) {
            expected = abi.encodeWithSelector(IRequestQueue.RequestQueueNotOperator.selector, id, caller);
        } else if (to == address(0)) {
            expected = abi.encodeWithSelector(IRequestQueue.RequestQueueZeroFeeRecipient.selector);
        }
        uint256 before = FEE_SINK.balance;
        vm.prank(caller);
        try queue.claimFees(ChainId.wrap(id), to) returns (uint256 amount) {
            if (expected.length != 0) return _unexpected("claimFees accepted", expected);
            if (amount != due || FEE_SINK.balance != before + due) _unexpected("fee amount", abi.encode(amount, due));
            ghostFeesClaimed[id] += amount;
            ghostFeeSinkTotal += amount;
            ++feeClaims;
            if (amount != 0) ++feeClaimsPaying;
        } catch (bytes memory err) {
            _checkRejection("claimFees", err, expected);
        }
    }

    /// @notice The status role moves a chain: an Active one to Frozen (or, 1 in 8, to Active: invalid), a Frozen
    ///         one back to Active (refused `RegistryHatchUsed` once its hatch has paid; 1 in 8 to Frozen: invalid).
    function setStatus(uint256 chainSeed, uint256 modeSeed) external action {
        uint64 id = _pick(chainSeed, _FROZEN);
        uint8 from = ghostStatus[id];
        bool same = _rand(modeSeed, 8) % 8 == 0;
        uint8 to = (from == _ACTIVE) == same ? _ACTIVE : _FROZEN;
        bytes memory expected;
        if (to == from) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryInvalidStatusChange.selector, id, from, to);
        } else if (to == _ACTIVE && ghostHatchUsed[id]) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryHatchUsed.selector, id);
        }
        try registry.setChainStatus(ChainId.wrap(id), IValidiumRegistry.ChainStatus(to)) {
            if (expected.length != 0) return _unexpected("setChainStatus accepted", expected);
            ghostStatus[id] = to;
            if (to == _ACTIVE) ++unfreezes;
            else ++adminFreezes;
        } catch (bytes memory err) {
            if (to == _ACTIVE && ghostHatchUsed[id]) ++unfreezesRefusedHatch;
            _checkRejection("setChainStatus", err, expected);
        }
    }

    /// @notice Starts an election on a chain (7 in 8: the first from a random one that has an electorate; 1 in 4
    ///         the chain of the newest Open election, a competitor)
    ///         for a candidate of the pool, by an initiator of the pool (one of
    ///         which rejects ETH), with the exact bond; hostile: the settlement root or an unknown chain (1 in 16),
    ///         a zero candidate or the current operator (1 in 16 each), a wrong bond (1 in 16).
    function startElection(uint256 chainSeed, uint256 candSeed) external action {
        uint256 r = _rand(candSeed, 9);
        uint64 id = _ids[chainSeed % N];
        for (uint64 k; k < N && (r >> 48) % 8 != 0; ++k) {
            uint64 c = _ids[(chainSeed + k) % N];
            if (electorateOf(c) != 0) {
                id = c;
                break;
            }
        }
        if ((r >> 56) % 4 == 0 && _elections.length != 0) id = _elections[_newestOpen() - 1].chain;
        if (r % 32 == 0) id = 0;
        if (r % 32 == 1) id = UNKNOWN;
        address candidate = candidateAddress((r >> 8) % 4);
        if ((r >> 16) % 16 == 0) candidate = address(0);
        if ((r >> 16) % 16 == 1) candidate = ghostOperator[id];
        uint256 bond = (r >> 24) % 16 == 0 ? BOND + 1 - ((r >> 32) % 2) * 2 : BOND;
        address initiator = initiatorAddress((r >> 40) % 4);
        bytes memory expected = _expectStart(id, candidate, bond);
        vm.deal(initiator, initiator.balance + bond);
        vm.prank(initiator);
        try election.startElection{value: bond}(ChainId.wrap(id), candidate) returns (uint256 eid) {
            if (expected.length != 0) return _unexpected("startElection accepted", expected);
            _elections.push(
                Elect({
                    chain: id,
                    epoch: ghostEpoch[id],
                    deadline: uint64(block.timestamp + VOTING_PERIOD),
                    candidate: candidate,
                    initiator: initiator,
                    state: _OPEN
                })
            );
            if (eid != _elections.length) _unexpected("election id", abi.encode(eid));
            ++electionsStarted;
        } catch (bytes memory err) {
            _checkRejection("startElection", err, expected);
        }
    }

    /// @notice Votes in an election (1 in 32 an unknown id; 3 in 4 the newest Open one) for a voter chain:
    ///         usually (3 in 4) a strict descendant from the ghost tree, else any chain; cast by the voter's
    ///         operator, or (1 in 10) by a stranger or another chain's operator.
    function vote(uint256 electionSeed, uint256 voterSeed) external action {
        uint256 n = _elections.length;
        if (n == 0) return;
        uint256 r = _rand(voterSeed, 10);
        uint256 eid = r % 32 == 0 ? n + 1 : ((r >> 40) % 4 == 0 ? 1 + (electionSeed % n) : _newestOpen());
        uint64 chain = eid <= n ? _elections[eid - 1].chain : 0;
        uint64 voter = _ids[voterSeed % N];
        if ((r >> 8) % 4 != 0) {
            for (uint64 k; k < N; ++k) {
                uint64 v = _ids[(voterSeed + k) % N];
                if (_isStrictDescendant(v, chain)) {
                    voter = v;
                    break;
                }
            }
        }
        address caller = ghostOperator[voter];
        if ((r >> 16) % 10 == 0) caller = (r >> 24) % 2 == 0 ? STRANGER : ghostOperator[_ids[(r >> 32) % N]];
        bytes memory expected = _expectVote(eid, voter, caller);
        vm.prank(caller);
        try election.vote(eid, ChainId.wrap(voter)) {
            if (expected.length != 0) return _unexpected("vote accepted", expected);
            Elect storage e = _elections[eid - 1];
            _voteOf[e.chain][e.epoch][voter] = eid;
            ++votesCast;
        } catch (bytes memory err) {
            _checkRejection("vote", err, expected);
        }
    }

    /// @notice Finalizes an election (1 in 32 an unknown id; 3 in 4 the newest Open one). Before the call the
    ///         handler recounts votes and electorate by brute force over the ghost tree and records whether
    ///         2·votes > electorate; the outcome (Succeeded, Expired, Superseded, or the exact revert) is predicted
    ///         from that recount.
    function finalizeElection(uint256 electionSeed) external action {
        uint256 n = _elections.length;
        if (n == 0) return;
        uint256 r = _rand(electionSeed, 11);
        uint256 eid = r % 32 == 0 ? n + 1 : ((r >> 8) % 4 == 0 ? 1 + (electionSeed % n) : _newestOpen());
        (bytes memory expected, uint8 outcome, bool majority) = _expectFinalize(eid);
        try election.finalize(eid) returns (IEmergencyElection.ElectionState state) {
            if (expected.length != 0) return _unexpected("finalize accepted", expected);
            if (uint8(state) != outcome) return _unexpected("finalize outcome", abi.encode(state, outcome));
            if (state == IEmergencyElection.ElectionState.Succeeded) {
                if (majority) ++successesWithMajority;
                else ++successesWithoutMajority;
            }
            _applyFinalize(eid, outcome);
        } catch (bytes memory err) {
            _checkRejection("finalize", err, expected);
        }
    }

    /// @notice Relocates a chain (an Active one, preferably) under another parent (any chain or the settlement
    ///         root) with the ghost's subtree list (BFS, siblings by increasing id, with parent indices); hostile
    ///         1 in 10: an empty list, or the list without its last entry.
    function relocate(uint256 chainSeed, uint256 parentSeed) external action {
        uint256 r = _rand(parentSeed, 12);
        uint64 x = _pick(chainSeed, _ACTIVE);
        uint64 np = uint64(parentSeed % (N + 1));
        (uint64[] memory list, uint256[] memory pidx) = subtreeOf(x);
        uint256 cut = (r >> 8) % 20;
        uint256 n = cut == 0 ? 0 : (cut == 1 && list.length > 1 ? list.length - 1 : list.length);
        ChainId[] memory subtree = new ChainId[](n);
        uint256[] memory parents = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            subtree[i] = ChainId.wrap(list[i]);
            parents[i] = pidx[i];
        }
        bytes memory expected = _expectRelocate(x, np, list, pidx, n);
        try registry.relocate(ChainId.wrap(x), ChainId.wrap(np), subtree, parents) {
            if (expected.length != 0) return _unexpected("relocate accepted", expected);
            ghostParent[x] = np;
            ++relocations;
        } catch (bytes memory err) {
            _checkRejection("relocate", err, expected);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The five chain ids, in increasing order.
    function chainIds() external view returns (uint64[] memory) {
        return _ids;
    }

    /// @notice Number of ghost elections (ids 1..n).
    function electionCount() external view returns (uint256) {
        return _elections.length;
    }

    /// @notice The ghost state of election `eid`.
    function ghostElectionState(uint256 eid) external view returns (uint8) {
        return _elections[eid - 1].state;
    }

    /// @notice The ghost's queued items of a chain (deposits and forced messages).
    function itemCount(uint64 id) external view returns (uint256) {
        return _items[id].length;
    }

    /// @notice Whether item `pos` (1-based) of chain `id` is a deposit, and its amount.
    function depositAt(uint64 id, uint64 pos) external view returns (bool isDeposit, uint256 amount) {
        Item storage it = _items[id][pos - 1];
        return (it.w0 & 0xff == 1, it.w0 >> 72);
    }

    /// @notice Active chains in the ghost subtree of `u` (u included), by brute force over the ghost parents.
    function activeInSubtree(uint64 u) public view returns (uint256 count) {
        for (uint64 v = 1; v <= N; ++v) {
            if (ghostStatus[v] == _ACTIVE && (v == u || _isStrictDescendant(v, u))) ++count;
        }
    }

    /// @notice Active strict descendants of `u` in the ghost tree (the electorate of an election on u).
    function electorateOf(uint64 u) public view returns (uint256 count) {
        for (uint64 v = 1; v <= N; ++v) {
            if (ghostStatus[v] == _ACTIVE && _isStrictDescendant(v, u)) ++count;
        }
    }

    /// @notice The subtree of `x` in parent order (BFS, siblings by increasing id) with each entry's parent index.
    function subtreeOf(uint64 x) public view returns (uint64[] memory list, uint256[] memory parentIndex) {
        list = new uint64[](N);
        parentIndex = new uint256[](N);
        list[0] = x;
        uint256 n = 1;
        for (uint256 i; i < n; ++i) {
            for (uint64 c = 1; c <= N; ++c) {
                if (ghostParent[c] == list[i]) {
                    list[n] = c;
                    parentIndex[n] = i;
                    ++n;
                }
            }
        }
        assembly ("memory-safe") {
            mstore(list, n)
            mstore(parentIndex, n)
        }
    }

    /// @notice Refund address k of the depositors' pool.
    function refundAddress(uint256 k) public pure returns (address) {
        return address(uint160(0x3000 + k));
    }

    /// @notice Recipient k of committed withdrawals.
    function withdrawalRecipient(uint256 k) public pure returns (address) {
        return address(uint160(0x4000 + k));
    }

    /// @notice Election candidate k.
    function candidateAddress(uint256 k) public pure returns (address) {
        return address(uint160(0x2000 + k));
    }

    /// @notice Election initiator k (k = 3: the contract that rejects ETH).
    function initiatorAddress(uint256 k) public view returns (address) {
        return k == 3 ? rejecter : address(uint160(0x5000 + k));
    }

    /*//////////////////////////////////////////////////////////////
                               PREDICTIONS
    //////////////////////////////////////////////////////////////*/

    function _expectFreeze(uint64 id, uint64 pos, uint64 len) internal view returns (bytes memory) {
        if (pos > len) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueuePositionBeyondEnd.selector, id, pos, len);
        }
        uint64 deadline = pos == 0 ? 0 : _items[id][pos - 1].deadline;
        if (deadline == 0) return abi.encodeWithSelector(IRequestQueue.RequestQueueNotForced.selector, id, pos);
        if (ghostStatus[id] != _ACTIVE) {
            return _err(IRequestQueue.RequestQueueChainNotActive.selector, id, ghostStatus[id]);
        }
        uint64 consumed = registry.queuePosition(ChainId.wrap(id));
        if (consumed >= pos) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueForcedConsumed.selector, id, pos, consumed);
        }
        uint256 restarted = ghostOperatorSince[id] + FORCED_DEADLINE;
        uint256 effective = restarted > deadline ? restarted : deadline;
        if (block.timestamp <= effective) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueDeadlineNotPassed.selector, id, pos, effective);
        }
        return "";
    }

    function _expectReclaim(uint64 id, uint64 pos, uint64 len, Item memory it) internal view returns (bytes memory) {
        if (ghostStatus[id] != _FROZEN) {
            return _err(IRequestQueue.RequestQueueChainNotFrozen.selector, id, ghostStatus[id]);
        }
        if (pos > len) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueuePositionBeyondEnd.selector, id, pos, len);
        }
        if (pos == 0) return abi.encodeWithSelector(IRequestQueue.RequestQueueNotDeposit.selector, id, pos);
        Item storage stored = _items[id][pos - 1];
        if (it.w0 != stored.w0 || it.w1 != stored.w1 || it.w2 != stored.w2) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueItemMismatch.selector, id, pos);
        }
        if (it.w0 & 0xff != 1) return abi.encodeWithSelector(IRequestQueue.RequestQueueNotDeposit.selector, id, pos);
        uint64 consumed = _finalizedPosition(id);
        if (pos <= consumed) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueDepositConsumed.selector, id, pos, consumed);
        }
        if (reclaimPayments[id][pos] != 0) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueDepositReclaimed.selector, id, pos);
        }
        uint256 held = ghostDeposited[id] - ghostPaid[id];
        uint256 amount = it.w0 >> 72;
        if (amount > held) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueInsufficientEscrow.selector, id, 0, amount, held);
        }
        return "";
    }

    function _expectClaim(uint64 id, Withdrawal memory w) internal view returns (bytes memory) {
        (uint32 fin, ) = registry.finalizedCommitment(ChainId.wrap(id));
        if (w.index > fin) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueCommitmentNotFinal.selector, id, w.index, fin);
        }
        bytes32 root = registry.withdrawalRoot(ChainId.wrap(id), w.index);
        if (root == bytes32(0)) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueNoWithdrawalRoot.selector, id, w.index);
        }
        bytes32 computed = bytes32(p3.hash([uint256(uint160(w.recipient)), 0, w.amount]));
        if (computed != root) {
            return
                abi.encodeWithSelector(
                    IRequestQueue.RequestQueueInvalidWithdrawalProof.selector,
                    id,
                    w.index,
                    root,
                    computed
                );
        }
        if (_claimedIndex[id][w.index]) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueWithdrawalClaimed.selector, id, w.index, 0);
        }
        uint256 held = ghostDeposited[id] - ghostPaid[id];
        if (w.amount > held) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueInsufficientEscrow.selector, id, 0, w.amount, held);
        }
        return "";
    }

    function _expectStart(uint64 id, address candidate, uint256 bond) internal view returns (bytes memory) {
        uint8 status = ghostStatus[id];
        if (status != _ACTIVE && status != _FROZEN) {
            return abi.encodeWithSelector(IEmergencyElection.ElectionNotMember.selector, id);
        }
        if (status == _FROZEN && ghostHatchUsed[id]) {
            return abi.encodeWithSelector(IEmergencyElection.ElectionHatchUsed.selector, id);
        }
        if (electorateOf(id) == 0) return abi.encodeWithSelector(IEmergencyElection.ElectionNoElectorate.selector, id);
        if (candidate == address(0)) return abi.encodeWithSelector(IEmergencyElection.ElectionZeroAddress.selector);
        if (candidate == ghostOperator[id]) {
            return abi.encodeWithSelector(IEmergencyElection.ElectionSameOperator.selector, id, candidate);
        }
        if (bond != BOND) return abi.encodeWithSelector(IEmergencyElection.ElectionWrongBond.selector, bond, BOND);
        return "";
    }

    function _expectVote(uint256 eid, uint64 voter, address caller) internal view returns (bytes memory) {
        if (eid > _elections.length) return abi.encodeWithSelector(IEmergencyElection.ElectionUnknown.selector, eid);
        Elect storage e = _elections[eid - 1];
        if (e.state != _OPEN) return abi.encodeWithSelector(IEmergencyElection.ElectionNotOpen.selector, eid, e.state);
        if (e.epoch != ghostEpoch[e.chain]) {
            return abi.encodeWithSelector(IEmergencyElection.ElectionNotOpen.selector, eid, _SUPERSEDED);
        }
        if (block.timestamp > e.deadline) {
            return abi.encodeWithSelector(IEmergencyElection.ElectionVotingClosed.selector, eid, e.deadline);
        }
        if (ghostStatus[voter] != _ACTIVE) {
            return abi.encodeWithSelector(IEmergencyElection.ElectionVoterNotActive.selector, voter);
        }
        if (ghostOperator[voter] != caller) {
            return abi.encodeWithSelector(IEmergencyElection.ElectionNotVoterOperator.selector, voter, caller);
        }
        if (!_isStrictDescendant(voter, e.chain)) {
            return abi.encodeWithSelector(IEmergencyElection.ElectionNotDescendant.selector, voter, e.chain);
        }
        if (_voteOf[e.chain][e.epoch][voter] == eid) {
            return abi.encodeWithSelector(IEmergencyElection.ElectionAlreadyVoted.selector, eid, voter);
        }
        return "";
    }

    /// @dev The predicted revert or outcome of `finalize(eid)`, and whether the brute-force recount (valid votes:
    ///      voters still voting for eid in its epoch, Active and strict descendants now; electorate: Active strict
    ///      descendants now) has a strict majority.
    function _expectFinalize(uint256 eid) internal view returns (bytes memory expected, uint8 outcome, bool majority) {
        if (eid > _elections.length) {
            return (abi.encodeWithSelector(IEmergencyElection.ElectionUnknown.selector, eid), 0, false);
        }
        Elect storage e = _elections[eid - 1];
        if (e.state != _OPEN) {
            return (abi.encodeWithSelector(IEmergencyElection.ElectionNotOpen.selector, eid, e.state), 0, false);
        }
        if (e.epoch != ghostEpoch[e.chain]) return ("", _SUPERSEDED, false);
        uint256 votes;
        for (uint64 v = 1; v <= N; ++v) {
            if (_voteOf[e.chain][e.epoch][v] != eid || ghostStatus[v] != _ACTIVE) continue;
            if (_isStrictDescendant(v, e.chain)) ++votes;
        }
        uint256 electorate = electorateOf(e.chain);
        majority = electorate != 0 && 2 * votes > electorate;
        bool expired = block.timestamp > e.deadline;
        bool blocked = ghostStatus[e.chain] == _FROZEN && ghostHatchUsed[e.chain];
        if (majority && !blocked) return ("", _SUCCEEDED, true);
        if (expired) return ("", _EXPIRED, majority);
        if (majority) {
            return (abi.encodeWithSelector(IEmergencyElection.ElectionHatchUsed.selector, e.chain), 0, true);
        }
        expected = abi.encodeWithSelector(IEmergencyElection.ElectionNoMajority.selector, eid, votes, electorate);
    }

    function _expectRelocate(
        uint64 x,
        uint64 np,
        uint64[] memory list,
        uint256[] memory pidx,
        uint256 n
    ) internal view returns (bytes memory) {
        if (ghostStatus[x] != _ACTIVE) {
            return _err(IValidiumRegistry.RegistryChainNotActive.selector, x, ghostStatus[x]);
        }
        if (np == ghostParent[x]) return abi.encodeWithSelector(IValidiumRegistry.RegistryBadNewParent.selector, x, np);
        uint256 baseDepth = 1;
        if (np != 0) {
            if (ghostStatus[np] != _ACTIVE) {
                return _err(IValidiumRegistry.RegistryChainNotActive.selector, np, ghostStatus[np]);
            }
            baseDepth = _depth(np) + 1;
            if (baseDepth > MAX_DEPTH) {
                return abi.encodeWithSelector(IValidiumRegistry.RegistryDepthExceeded.selector, baseDepth, MAX_DEPTH);
            }
            if (np == x || _isStrictDescendant(np, x)) {
                return abi.encodeWithSelector(IValidiumRegistry.RegistryBadNewParent.selector, x, np);
            }
        }
        if (_childCount(np) >= MAX_FAN_OUT) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, np, MAX_FAN_OUT);
        }
        if (n == 0) return abi.encodeWithSelector(IValidiumRegistry.RegistryBadSubtree.selector, x);
        uint256[] memory rel = new uint256[](list.length);
        for (uint256 i; i < n; ++i) {
            if (i > 0) rel[i] = rel[pidx[i]] + 1;
            if (baseDepth + rel[i] > MAX_DEPTH) {
                return
                    abi.encodeWithSelector(
                        IValidiumRegistry.RegistryDepthExceeded.selector,
                        baseDepth + rel[i],
                        MAX_DEPTH
                    );
            }
        }
        if (n != list.length) return abi.encodeWithSelector(IValidiumRegistry.RegistryBadSubtree.selector, x);
        return "";
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _register(uint64 id, uint64 parent) internal {
        address op = address(uint160(0x1000 + id));
        uint256 stake = uint256(id) * 0.1 ether;
        registry.registerChain{value: stake}(
            ChainId.wrap(id),
            ChainId.wrap(parent),
            op,
            verifier,
            keccak256(abi.encode("genesis", id))
        );
        _ids.push(id);
        ghostParent[id] = parent;
        ghostStatus[id] = _ACTIVE;
        ghostOperator[id] = op;
        ghostOperatorSince[id] = block.timestamp;
        ghostStake[id] = stake;
    }

    /// @dev A well-formed update of `id`: ack in [latest ack, block] (`ackSeed` = 2^256 - 1: the block), queue
    ///      point 0..k items after the latest commitment's position (k: what is queued; half of the time all),
    ///      prevRoot the latest root. Returns it and the queue length.
    function _updateData(
        uint64 id,
        uint256 kSeed,
        uint256 ackSeed
    ) internal view returns (UpdatePublicData memory data, uint64 len) {
        ChainId c = ChainId.wrap(id);
        uint64 prevAck = registry.chain(c).latestAck;
        uint64 old = registry.queuePosition(c);
        len = queue.length(c);
        uint64 pos = kSeed % 2 == 0 ? len : old + uint64((kSeed >> 1) % (len - old + 1));
        (, IValidiumRegistry.CommitmentInfo memory latest) = registry.latestCommitment(c);
        data.chainId = c;
        data.ackBlock =
            ackSeed == type(uint256).max
                ? uint64(block.number)
                : uint64(prevAck + (ackSeed % (block.number - prevAck + 1)));
        data.queuePosition = pos;
        data.prevRoot = latest.root;
        data.newRoot = keccak256(abi.encode(latest.root, pos, block.number, ackSeed));
        data.queueHash = queue.hashAt(c, pos);
    }

    /// @dev Submits `data` as `caller` against the prediction `expected`; an accepted update of a chain that is
    ///      not Active is counted in `nonActiveUpdatesAccepted`; a committed withdrawal is recorded for claims.
    function _submit(
        uint64 id,
        UpdatePublicData memory data,
        address caller,
        bytes memory expected,
        Withdrawal memory w
    ) internal {
        vm.prank(caller);
        try registry.submitUpdate(data, "") returns (uint32 index) {
            if (ghostStatus[id] != _ACTIVE) ++nonActiveUpdatesAccepted;
            if (expected.length != 0) return _unexpected("submitUpdate accepted", expected);
            if (data.withdrawalRoot != bytes32(0)) {
                w.index = index;
                _withdrawals[id].push(w);
                _lastWithdrawalChain = id;
                ++updatesWithWithdrawal;
            }
            ++updates;
        } catch (bytes memory err) {
            _checkRejection("submitUpdate", err, expected);
        }
    }

    /// @dev The ghost effects of a finalization with outcome `outcome` (the payments as EmergencyElection pushes
    ///      them: to the rejecting initiator they are owed instead).
    function _applyFinalize(uint256 eid, uint8 outcome) internal {
        Elect storage e = _elections[eid - 1];
        e.state = outcome;
        if (outcome == _SUPERSEDED) {
            _credit(e.initiator, BOND);
            ++electionsSuperseded;
        } else if (outcome == _EXPIRED) {
            _credit(TREASURY, BOND);
            ++electionsExpired;
        } else {
            uint64 c = e.chain;
            uint256 slashed = ghostStake[c];
            uint256 reward = slashed / 2;
            ghostStake[c] = 0;
            ++ghostEpoch[c];
            ghostStatus[c] = _ACTIVE;
            ghostOperator[c] = e.candidate;
            ghostOperatorSince[c] = block.timestamp;
            _credit(e.initiator, BOND + reward);
            _credit(TREASURY, slashed - reward);
            ++electionsSucceeded;
        }
    }

    /// @dev The newest Open election (the newest election when none is Open); requires one.
    function _newestOpen() internal view returns (uint256) {
        for (uint256 i = _elections.length; i > 0; --i) {
            if (_elections[i - 1].state == _OPEN) return i;
        }
        return _elections.length;
    }

    function _credit(address to, uint256 amount) internal {
        if (amount == 0) return;
        if (to == rejecter) ghostOwed[to] += amount;
        else if (to == TREASURY) ghostTreasury += amount;
    }

    /// @dev The queue position of the chain's finalized commitment (read from the registry).
    function _finalizedPosition(uint64 id) internal view returns (uint64) {
        (uint32 fin, ) = registry.finalizedCommitment(ChainId.wrap(id));
        return registry.commitmentQueuePosition(ChainId.wrap(id), fin);
    }

    /// @dev Forced items of `id` at positions ≤ `upTo`.
    function _forcedUpTo(uint64 id, uint64 upTo) internal view returns (uint256 count) {
        Item[] storage items = _items[id];
        for (uint256 i; i < upTo && i < items.length; ++i) {
            if (items[i].deadline != 0) ++count;
        }
    }

    function _isStrictDescendant(uint64 v, uint64 u) internal view returns (bool) {
        if (u == 0) return false;
        for (uint64 x = ghostParent[v]; x != 0; x = ghostParent[x]) {
            if (x == u) return true;
        }
        return false;
    }

    function _depth(uint64 u) internal view returns (uint256 depth) {
        depth = 1;
        for (uint64 x = ghostParent[u]; x != 0; x = ghostParent[x]) ++depth;
    }

    function _childCount(uint64 p) internal view returns (uint256 count) {
        for (uint64 v = 1; v <= N; ++v) {
            if (ghostParent[v] == p) ++count;
        }
    }

    /// @dev From a random chain (half of the time Q, a leaf whose own acks finalize its commitments, so that
    ///         queue items, consumption and finality concentrate there), the first with status `prefer`, if any.
    function _pick(uint256 seed, uint8 prefer) internal view returns (uint64) {
        uint256 start = (seed >> 200) % 2 == 0 ? N - 1 : seed % N;
        for (uint256 k; k < N; ++k) {
            uint64 id = _ids[(start + k) % N];
            if (ghostStatus[id] == prefer) return id;
        }
        return _ids[start];
    }

    function _err(bytes4 selector, uint64 id, uint8 status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, id, status);
    }

    function _rand(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }
}
