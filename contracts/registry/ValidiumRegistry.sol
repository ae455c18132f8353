// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

import {ClusterSeats} from "../governance/ClusterSeats.sol";
import {IClusterConfig} from "../interfaces/IClusterConfig.sol";
import {IClusterSeats} from "../interfaces/IClusterSeats.sol";
import {IRequestQueue} from "../interfaces/IRequestQueue.sol";
import {IUpdateVerifier} from "../interfaces/IUpdateVerifier.sol";
import {IValidiumRegistry} from "../interfaces/IValidiumRegistry.sol";
import {RegistryPacking} from "../libraries/RegistryPacking.sol";
import {ChainId, SETTLEMENT_ROOT} from "../types/ChainId.sol";
import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title ValidiumRegistry
/// @notice The cluster's tree of chains and their commitments, with (a, b) acceptance and finality.
/// @dev Invariants (docs/PROPERTIES.md names the test for each):
///      I1  b(u) = number of Active chains in subtree(u), u included.
///      I2  for every live commitment c of u (finalizedIdx ≤ index ≤ latestIdx):
///          a(c) = number of Active w in subtree(u) with latestAck(w) > block(c).
///      I3  finalizedIdx(u) never decreases; every pending c (index > finalizedIdx) has 2·a(c) ≤ b(u).
///      I4  commitments below finalizedIdx are pruned; latestIdx - finalizedIdx ≤ MAX_PENDING.
///      I5  commitment blocks are non-decreasing in index; acks are non-decreasing per chain between relocations
///          (a relocation resets the moved subtree's acks to 0) and never exceed the block they were submitted in.
///      E1  `installElectedOperator` and every move out of Active leave finalizedIdx unchanged and set latestIdx to
///          it (the discarded commitments' withdrawal roots are deleted), so a chain that is not Active has no
///          pending commitment and its final state cannot change until it is Active again; a chain whose queue
///          reports `hatchUsed` never becomes Active again.
///      T1  the parent pointers form a tree (relocation never creates a cycle); depth(u) = depth(parent) + 1;
///          childCount(u) = number of chains whose parent is u, whatever their status.
///
///      Cost model. An update by chain w at depth d moves w's ack from A_old to A_new; commitment c of
///      any chain u on w's path gains one acknowledgement iff A_old ≤ block(c) < A_new. Because a(c)
///      is non-increasing in c's index (older commitments are acknowledged by a superset), the newest
///      commitment that gains one and reaches 2a > b becomes final, and everything older is pruned.
///      Each chain keeps its latest commitment's block and count, and the previous commitment's
///      block, in one HOT word (see RegistryPacking), so in the steady state (one new commitment of
///      u since w's previous ack) an ancestor costs one cold SLOAD and one SSTORE. Older pending
///      commitments live in a 64-entry ring (roots, and (block, a) lanes packed four to a word):
///      slots are reused once pruned, so steady-state writes are nonzero-to-nonzero.
///
///      Membership (docs/GOVERNANCE.md; table G of PROPERTIES.md):
///      G3  seats().seatCount() = number of chains with status Active or Frozen, and hasSeat(c) holds exactly
///          for those chains: seats are minted only in `_register` and burned only on the move to Ejected.
///      G7  a chain's operator, verifier, escape verifier, code hash and config hash change only in
///          `activateSecurityChange`, for a change that is still the pending one, whose hash the approver
///          role approved, and whose `activatesAt` (approval time + the UpgradeDelay in force at approval)
///          has passed.
contract ValidiumRegistry is IValidiumRegistry, AccessControl {
    using RegistryPacking for uint256;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One chain. `roots` and `meta` are rings indexed by commitment index mod HISTORY.
    struct Chain {
        uint256 hot;
        uint256 config;
        address verifier;
        uint96 stake;
        bytes32[64] roots;
        uint256[16] meta;
        address governance;
        address escapeVerifier;
        bytes32 codeHash;
        bytes32 configHash;
        /// @dev Queue position consumed by each live commitment: four uint64 lanes per word, ring like `roots`.
        uint256[16] positions;
        uint64 operatorSince;
    }

    /// @dev An admission stake deposited before the vote: applicant and amount.
    struct Application {
        address applicant;
        uint96 amount;
    }

    mapping(ChainId => Chain) private _chains;
    ChainId[] private _chainIds;
    uint16 private _rootChildCount;
    /// @dev Announced security changes, and a per-chain announcement counter that makes each hash unique.
    mapping(ChainId => PendingSecurityChange) private _pending;
    mapping(ChainId => uint256) private _changeNonce;
    /// @dev Admission stakes deposited before the vote, one slot per chain id.
    mapping(ChainId => Application) private _applications;
    /// @dev Withdrawal root of each commitment that has one; never pruned (claims read it once final).
    mapping(ChainId => mapping(uint32 => bytes32)) private _withdrawalRoots;
    /// @dev The request queue every update's queue point is checked against (zero until bound).
    IRequestQueue private _queue;

    IClusterConfig private immutable _config;
    IClusterSeats private immutable _seats;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IValidiumRegistry
    bytes32 public constant REGISTRAR_ROLE = keccak256("clusterkit.registry.REGISTRAR");
    /// @inheritdoc IValidiumRegistry
    bytes32 public constant STATUS_ROLE = keccak256("clusterkit.registry.STATUS");
    /// @inheritdoc IValidiumRegistry
    bytes32 public constant APPROVER_ROLE = keccak256("clusterkit.registry.APPROVER");
    /// @inheritdoc IValidiumRegistry
    bytes32 public constant FREEZER_ROLE = keccak256("clusterkit.registry.FREEZER");
    /// @inheritdoc IValidiumRegistry
    bytes32 public constant ELECTION_ROLE = keccak256("clusterkit.registry.ELECTION");
    /// @inheritdoc IValidiumRegistry
    bytes32 public constant RELOCATOR_ROLE = keccak256("clusterkit.registry.RELOCATOR");
    /// @inheritdoc IValidiumRegistry
    uint32 public constant MAX_PENDING = 63;

    /// @dev Ring size for roots and meta lanes; a power of two greater than MAX_PENDING.
    uint256 private constant _HISTORY = 64;
    uint256 private constant _RING_MASK = _HISTORY - 1;
    uint8 private constant _ACTIVE = uint8(ChainStatus.Active);

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Holder of DEFAULT_ADMIN_ROLE (grants the other roles; the timelock in production).
    /// @param config_ The cluster configuration (limits: max fan-out, max depth, minimum stake; upgrade delay).
    /// @dev Creates the seats contract, whose only minter and burner is this registry.
    constructor(address admin, IClusterConfig config_) {
        if (admin == address(0) || address(config_) == address(0)) revert RegistryZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _config = config_;
        _seats = new ClusterSeats();
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IValidiumRegistry
    function depositAdmissionStake(ChainId chainId) external payable {
        if (chainId == SETTLEMENT_ROOT) revert RegistryReservedChainId();
        if (_chains[chainId].config != 0) revert RegistryChainExists(chainId);
        if (msg.value == 0) revert RegistryZeroDeposit();
        Application memory app = _applications[chainId];
        if (app.applicant != address(0) && app.applicant != msg.sender) {
            revert RegistryApplicationTaken(chainId, app.applicant);
        }
        uint256 total = uint256(app.amount) + msg.value;
        if (total > type(uint96).max) revert RegistryStakeTooLarge(total);
        _applications[chainId] = Application({applicant: msg.sender, amount: uint96(total)});
        emit AdmissionStakeDeposited(chainId, msg.sender, msg.value, total);
    }

    /// @inheritdoc IValidiumRegistry
    function withdrawAdmissionStake(ChainId chainId) external {
        Application memory app = _applications[chainId];
        if (app.applicant != msg.sender || app.amount == 0) revert RegistryNoApplication(chainId, msg.sender);
        delete _applications[chainId];
        emit AdmissionStakeWithdrawn(chainId, msg.sender, app.amount);
        (bool ok, ) = msg.sender.call{value: app.amount}("");
        if (!ok) revert RegistryTransferFailed(msg.sender, app.amount);
    }

    /// @inheritdoc IValidiumRegistry
    function admitChain(Admission calldata a) external payable onlyRole(REGISTRAR_ROLE) {
        if (a.governance == address(0)) revert RegistryZeroAddress();
        _register(a.chainId, a.parent, a.governance, a.security, a.genesisRoot);
    }

    /// @inheritdoc IValidiumRegistry
    function registerChain(
        ChainId chainId,
        ChainId parent,
        address operator,
        address verifier,
        bytes32 genesisRoot
    ) external payable onlyRole(REGISTRAR_ROLE) {
        _register(
            chainId,
            parent,
            operator,
            SecurityConfig({
                operator: operator,
                verifier: verifier,
                escapeVerifier: address(0),
                codeHash: bytes32(0),
                configHash: bytes32(0)
            }),
            genesisRoot
        );
    }

    /// @inheritdoc IValidiumRegistry
    function submitUpdate(UpdatePublicData calldata data, bytes calldata proof) external returns (uint32 index) {
        ChainId id = data.chainId;
        Chain storage c = _chains[id];
        uint256 cfg = c.config;
        if (cfg == 0) revert RegistryUnknownChain(id);
        if (cfg.operator() != msg.sender) revert RegistryNotOperator(id, msg.sender);
        if (cfg.status() != _ACTIVE) revert RegistryChainNotActive(id, ChainStatus(cfg.status()));

        uint64 ackNew = data.ackBlock;
        if (ackNew > block.number) revert RegistryAckInFuture(ackNew, block.number);
        uint64 ackOld = cfg.latestAck();
        if (ackNew < ackOld) revert RegistryAckDecreasing(ackNew, ackOld);

        uint256 h = c.hot;
        {
            bytes32 latestRoot = c.roots[h.latestIdx() & _RING_MASK];
            if (latestRoot != data.prevRoot) revert RegistryNotOnLatest(id, latestRoot, data.prevRoot);
            address verifier = c.verifier;
            if (!IUpdateVerifier(verifier).verify(data, proof)) revert RegistryInvalidProof(id, verifier);
        }
        _checkQueuePoint(c, id, h.latestIdx(), data.queuePosition, data.queueHash);

        if (ackNew != ackOld) {
            h = _applyAckAlongPath(c, id, h, ackOld, ackNew);
            c.config = cfg.setLatestAck(ackNew);
        }
        index = _append(c, id, h, data.newRoot);
        _setPosition(c, index, data.queuePosition);
        if (data.withdrawalRoot != bytes32(0)) _withdrawalRoots[id][index] = data.withdrawalRoot;

        emit UpdateSubmitted(id, index, data.newRoot, ackNew, data.l2Block);
    }

    /// @inheritdoc IValidiumRegistry
    function setChainStatus(ChainId chainId, ChainStatus status) external onlyRole(STATUS_ROLE) {
        _setStatus(chainId, status);
    }

    /// @inheritdoc IValidiumRegistry
    function freeze(ChainId chainId) external onlyRole(FREEZER_ROLE) {
        _setStatus(chainId, ChainStatus.Frozen);
        emit ChainFrozen(chainId, msg.sender);
    }

    /// @inheritdoc IValidiumRegistry
    function bindRequestQueue(IRequestQueue queue) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(queue) == address(0)) revert RegistryZeroAddress();
        address bound = address(_queue);
        if (bound != address(0)) revert RegistryQueueAlreadyBound(bound);
        _queue = queue;
        emit RequestQueueBound(address(queue));
    }

    /// @inheritdoc IValidiumRegistry
    function installElectedOperator(
        ChainId chainId,
        address operator
    ) external onlyRole(ELECTION_ROLE) returns (uint32 rolledBackTo, uint256 slashed) {
        if (operator == address(0)) revert RegistryZeroAddress();
        Chain storage c = _member(chainId);
        // A frozen chain was rolled back when it left Active; an Active one is rolled back here.
        uint32 last;
        (rolledBackTo, last) = _discardPending(c, chainId);
        if (c.config.status() != _ACTIVE) _setStatus(chainId, ChainStatus.Active);
        uint256 cfg = c.config;
        address previous = cfg.operator();
        c.config = cfg.setOperator(operator);
        c.operatorSince = uint64(block.timestamp);
        bytes32 pending = _pending[chainId].changeHash;
        if (pending != bytes32(0)) {
            delete _pending[chainId];
            emit SecurityChangeCancelled(chainId, pending);
        }
        slashed = c.stake;
        c.stake = 0;
        emit OperatorElected(chainId, previous, operator, rolledBackTo, last, slashed);
        if (slashed != 0) {
            (bool ok, ) = msg.sender.call{value: slashed}("");
            if (!ok) revert RegistryTransferFailed(msg.sender, slashed);
        }
    }

    /// @inheritdoc IValidiumRegistry
    function relocate(
        ChainId chainId,
        ChainId newParent,
        ChainId[] calldata subtree,
        uint256[] calldata parentIndex
    ) external onlyRole(RELOCATOR_ROLE) {
        Chain storage r = _chains[chainId];
        uint256 rcfg = r.config;
        if (rcfg == 0) revert RegistryUnknownChain(chainId);
        if (rcfg.status() != _ACTIVE) revert RegistryChainNotActive(chainId, ChainStatus(rcfg.status()));
        ChainId oldParent = ChainId.wrap(r.hot.parent());
        if (newParent == oldParent) revert RegistryBadNewParent(chainId, newParent);
        Limits memory lim = limits();
        uint256 baseDepth = _takeChildSlot(chainId, newParent, lim) + 1;
        (uint256[] memory acks, uint256 nActive) = _checkSubtree(
            chainId,
            subtree,
            parentIndex,
            baseDepth,
            lim.maxDepth
        );

        // New path first: b grows; acks restart at 0, so no a moves. Ancestors on both paths (the common ones) thus
        // keep their b through the removal below, and are judged for finality only on their final counts.
        _growB(newParent, nActive);
        // Old path: the subtree leaves b and a of every old ancestor; finality re-evaluated once per chain, after
        // every count of that chain is final (a common ancestor's b is back to its value, only its a dropped).
        if (oldParent == SETTLEMENT_ROOT) {
            --_rootChildCount;
        } else {
            Chain storage op = _chains[oldParent];
            op.config = op.config.setChildCount(op.config.childCount() - 1);
            _adjustPath(oldParent, nActive, acks, false);
        }
        r.hot = r.hot.setParent(ChainId.unwrap(newParent));
        emit ChainRelocated(chainId, oldParent, newParent, uint32(subtree.length), uint32(nActive));
    }

    /// @dev Moves a chain between statuses (see `setChainStatus`).
    function _setStatus(ChainId chainId, ChainStatus status) private {
        Chain storage c = _chains[chainId];
        uint256 cfg = c.config;
        if (cfg == 0) revert RegistryUnknownChain(chainId);
        ChainStatus from = ChainStatus(cfg.status());
        if (from == ChainStatus.Ejected || status == ChainStatus.None || status == from) {
            revert RegistryInvalidStatusChange(chainId, from, status);
        }
        bool wasActive = from == ChainStatus.Active;
        bool isActive = status == ChainStatus.Active;
        // A frozen chain whose hatch paid out cannot come back: its final state no longer matches its escrow.
        if (isActive && address(_queue) != address(0) && _queue.hatchUsed(chainId)) revert RegistryHatchUsed(chainId);
        // Leaving Active discards the pending commitments first: the chain's final state is then fixed (escapes
        // and reclaims read it), and neither the removal below nor later acknowledgements can finalize more.
        if (wasActive) _discardPending(c, chainId);
        c.config = cfg.setStatus(uint8(status));
        if (wasActive != isActive) {
            uint256[] memory acks = new uint256[](1);
            acks[0] = cfg.latestAck();
            _adjustPath(chainId, 1, acks, isActive);
        }
        if (status == ChainStatus.Ejected) {
            _seats.burn(chainId);
            if (_pending[chainId].changeHash != bytes32(0)) {
                emit SecurityChangeCancelled(chainId, _pending[chainId].changeHash);
                delete _pending[chainId];
            }
        }
        emit ChainStatusChanged(chainId, from, status);
    }

    /// @inheritdoc IValidiumRegistry
    function announceSecurityChange(
        ChainId chainId,
        SecurityConfig calldata config
    ) external returns (bytes32 changeHash) {
        Chain storage c = _member(chainId);
        if (msg.sender != c.governance) revert RegistryNotChainGovernance(chainId, msg.sender);
        if (config.operator == address(0) || config.verifier == address(0)) revert RegistryZeroAddress();
        PendingSecurityChange storage p = _pending[chainId];
        bytes32 previous = p.changeHash;
        if (previous != bytes32(0)) emit SecurityChangeCancelled(chainId, previous);
        uint256 nonce = ++_changeNonce[chainId];
        changeHash = keccak256(abi.encode(chainId, nonce, config));
        p.config = config;
        p.changeHash = changeHash;
        p.announcedAt = uint64(block.timestamp);
        p.approvedAt = 0;
        p.activatesAt = 0;
        emit SecurityChangeAnnounced(chainId, changeHash, config);
    }

    /// @inheritdoc IValidiumRegistry
    function setChainGovernance(ChainId chainId, address newGovernance) external {
        Chain storage c = _member(chainId);
        address previous = c.governance;
        if (msg.sender != previous && !hasRole(APPROVER_ROLE, msg.sender)) {
            revert RegistryNotChainGovernance(chainId, msg.sender);
        }
        if (newGovernance == address(0)) revert RegistryZeroAddress();
        c.governance = newGovernance;
        // A change announced by the previous governance (perhaps a compromised key) does not survive it.
        bytes32 pending = _pending[chainId].changeHash;
        if (pending != bytes32(0)) {
            delete _pending[chainId];
            emit SecurityChangeCancelled(chainId, pending);
        }
        _seats.burn(chainId);
        _seats.mint(newGovernance, chainId);
        emit ChainGovernanceChanged(chainId, previous, newGovernance);
    }

    /// @inheritdoc IValidiumRegistry
    function cancelSecurityChange(ChainId chainId) external {
        Chain storage c = _member(chainId);
        if (msg.sender != c.governance && !hasRole(APPROVER_ROLE, msg.sender)) {
            revert RegistryNotChainGovernance(chainId, msg.sender);
        }
        bytes32 changeHash = _pending[chainId].changeHash;
        if (changeHash == bytes32(0)) revert RegistryNoPendingChange(chainId);
        delete _pending[chainId];
        emit SecurityChangeCancelled(chainId, changeHash);
    }

    /// @inheritdoc IValidiumRegistry
    function approveSecurityChange(ChainId chainId, bytes32 changeHash) external onlyRole(APPROVER_ROLE) {
        _member(chainId);
        PendingSecurityChange storage p = _pending[chainId];
        bytes32 pending = p.changeHash;
        if (pending == bytes32(0)) revert RegistryNoPendingChange(chainId);
        if (pending != changeHash) revert RegistryChangeMismatch(chainId, pending, changeHash);
        if (p.approvedAt != 0) revert RegistryChangeAlreadyApproved(chainId, changeHash);
        uint64 activatesAt = uint64(block.timestamp + _config.param(uint256(IClusterConfig.Param.UpgradeDelay)));
        p.approvedAt = uint64(block.timestamp);
        p.activatesAt = activatesAt;
        emit SecurityChangeApproved(chainId, changeHash, activatesAt);
    }

    /// @inheritdoc IValidiumRegistry
    function activateSecurityChange(ChainId chainId) external {
        Chain storage c = _member(chainId);
        PendingSecurityChange memory p = _pending[chainId];
        if (p.changeHash == bytes32(0)) revert RegistryNoPendingChange(chainId);
        if (p.approvedAt == 0) revert RegistryChangeNotApproved(chainId, p.changeHash);
        if (block.timestamp < p.activatesAt) revert RegistryChangeNotReady(chainId, p.activatesAt);
        delete _pending[chainId];
        SecurityConfig memory sec = p.config;
        uint256 cfg = c.config;
        if (cfg.operator() != sec.operator) {
            c.config = cfg.setOperator(sec.operator);
            c.operatorSince = uint64(block.timestamp);
        }
        c.verifier = sec.verifier;
        c.escapeVerifier = sec.escapeVerifier;
        c.codeHash = sec.codeHash;
        c.configHash = sec.configHash;
        emit SecurityChangeActivated(chainId, p.changeHash, sec);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IValidiumRegistry
    function chain(ChainId chainId) external view returns (ChainInfo memory info) {
        Chain storage c = _known(chainId);
        uint256 h = c.hot;
        uint256 cfg = c.config;
        info = ChainInfo({
            parent: ChainId.wrap(h.parent()),
            operator: cfg.operator(),
            verifier: c.verifier,
            status: ChainStatus(cfg.status()),
            depth: cfg.depth(),
            childCount: cfg.childCount(),
            subtreeSize: uint32(h.b()),
            stake: c.stake,
            latestAck: cfg.latestAck(),
            latestIndex: h.latestIdx(),
            finalizedIndex: h.finalizedIdx()
        });
    }

    /// @inheritdoc IValidiumRegistry
    function subtreeSize(ChainId chainId) external view returns (uint32) {
        return uint32(_known(chainId).hot.b());
    }

    /// @inheritdoc IValidiumRegistry
    function ancestors(ChainId chainId) external view returns (ChainId[] memory path) {
        Chain storage c = _known(chainId);
        uint256 depth = c.config.depth();
        path = new ChainId[](depth - 1);
        ChainId u = ChainId.wrap(c.hot.parent());
        for (uint256 i; u != SETTLEMENT_ROOT; ++i) {
            path[i] = u;
            u = ChainId.wrap(_chains[u].hot.parent());
        }
    }

    /// @inheritdoc IValidiumRegistry
    function commitment(ChainId chainId, uint32 index) public view returns (CommitmentInfo memory info) {
        Chain storage c = _known(chainId);
        uint256 h = c.hot;
        uint32 last = h.latestIdx();
        if (index > last) revert RegistryUnknownCommitment(chainId, index);
        uint32 fin = h.finalizedIdx();
        if (index < fin) {
            info.status = CommitmentStatus.Pruned;
            return info;
        }
        (uint256 blk, uint256 a) = _blockAndA(c, h, index);
        info = CommitmentInfo({
            root: c.roots[index & _RING_MASK],
            blockNumber: uint64(blk),
            a: uint32(a),
            b: uint32(h.b()),
            status: index == fin ? CommitmentStatus.Finalized : CommitmentStatus.Pending
        });
    }

    /// @inheritdoc IValidiumRegistry
    function acceptance(ChainId chainId, uint32 index) external view returns (uint32 a, uint32 b) {
        CommitmentInfo memory info = commitment(chainId, index);
        return (info.a, uint32(_chains[chainId].hot.b()));
    }

    /// @inheritdoc IValidiumRegistry
    function latestCommitment(ChainId chainId) external view returns (uint32 index, CommitmentInfo memory info) {
        index = _known(chainId).hot.latestIdx();
        info = commitment(chainId, index);
    }

    /// @inheritdoc IValidiumRegistry
    function finalizedCommitment(ChainId chainId) external view returns (uint32 index, CommitmentInfo memory info) {
        index = _known(chainId).hot.finalizedIdx();
        info = commitment(chainId, index);
    }

    /// @inheritdoc IValidiumRegistry
    function chainStatus(ChainId chainId) external view returns (ChainStatus) {
        return ChainStatus(_chains[chainId].config.status());
    }

    /// @inheritdoc IValidiumRegistry
    function chainCount() external view returns (uint256) {
        return _chainIds.length;
    }

    /// @inheritdoc IValidiumRegistry
    function chainIdAt(uint256 i) external view returns (ChainId) {
        return _chainIds[i];
    }

    /// @inheritdoc IValidiumRegistry
    function limits() public view returns (Limits memory lim) {
        (lim.maxFanOut, lim.maxDepth, lim.minStake) = _config.registrationLimits();
    }

    /// @inheritdoc IValidiumRegistry
    function requestQueue() external view returns (IRequestQueue) {
        return _queue;
    }

    /// @inheritdoc IValidiumRegistry
    function queuePosition(ChainId chainId) external view returns (uint64) {
        Chain storage c = _known(chainId);
        return _positionAt(c, c.hot.latestIdx());
    }

    /// @inheritdoc IValidiumRegistry
    function commitmentQueuePosition(ChainId chainId, uint32 index) external view returns (uint64) {
        Chain storage c = _known(chainId);
        uint256 h = c.hot;
        if (index > h.latestIdx()) revert RegistryUnknownCommitment(chainId, index);
        if (index < h.finalizedIdx()) revert RegistryUnknownCommitment(chainId, index);
        return _positionAt(c, index);
    }

    /// @inheritdoc IValidiumRegistry
    function withdrawalRoot(ChainId chainId, uint32 index) external view returns (bytes32) {
        Chain storage c = _known(chainId);
        if (index > c.hot.latestIdx()) revert RegistryUnknownCommitment(chainId, index);
        return _withdrawalRoots[chainId][index];
    }

    /// @inheritdoc IValidiumRegistry
    function operatorSince(ChainId chainId) external view returns (uint64) {
        return _known(chainId).operatorSince;
    }

    /// @inheritdoc IValidiumRegistry
    function admissionStake(ChainId chainId) external view returns (address applicant, uint96 amount) {
        Application memory app = _applications[chainId];
        return (app.applicant, app.amount);
    }

    /// @inheritdoc IValidiumRegistry
    function securityConfig(ChainId chainId) external view returns (SecurityConfig memory) {
        Chain storage c = _known(chainId);
        return
            SecurityConfig({
                operator: c.config.operator(),
                verifier: c.verifier,
                escapeVerifier: c.escapeVerifier,
                codeHash: c.codeHash,
                configHash: c.configHash
            });
    }

    /// @inheritdoc IValidiumRegistry
    function pendingSecurityChange(ChainId chainId) external view returns (PendingSecurityChange memory) {
        _known(chainId);
        return _pending[chainId];
    }

    /// @inheritdoc IValidiumRegistry
    function chainGovernance(ChainId chainId) external view returns (address) {
        return _known(chainId).governance;
    }

    /// @inheritdoc IValidiumRegistry
    function seats() external view returns (IClusterSeats) {
        return _seats;
    }

    /// @inheritdoc IValidiumRegistry
    function clusterConfig() external view returns (IClusterConfig) {
        return _config;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Registration common to `admitChain` and `registerChain`: checks, tree insertion, seat.
    function _register(
        ChainId chainId,
        ChainId parent,
        address governance,
        SecurityConfig memory sec,
        bytes32 genesisRoot
    ) private {
        if (chainId == SETTLEMENT_ROOT) revert RegistryReservedChainId();
        address operator = sec.operator;
        address verifier = sec.verifier;
        if (operator == address(0) || verifier == address(0)) revert RegistryZeroAddress();
        Chain storage c = _chains[chainId];
        if (c.config != 0) revert RegistryChainExists(chainId);
        Limits memory lim = limits();
        uint256 stake = _takeStake(chainId, lim.minStake);

        uint256 depth = _takeChildSlot(chainId, parent, lim) + 1;
        // The new chain is Active with ack 0: it enters b of every ancestor and a of none.
        _growB(parent, 1);

        c.hot = RegistryPacking.hot(ChainId.unwrap(parent), 0, 0, block.number, 0, 0, 1);
        c.config = RegistryPacking.config(operator, _ACTIVE, depth);
        c.verifier = verifier;
        c.stake = uint96(stake);
        c.roots[0] = genesisRoot;
        c.governance = governance;
        c.operatorSince = uint64(block.timestamp);
        if (sec.escapeVerifier != address(0)) c.escapeVerifier = sec.escapeVerifier;
        if (sec.codeHash != bytes32(0)) c.codeHash = sec.codeHash;
        if (sec.configHash != bytes32(0)) c.configHash = sec.configHash;
        _chainIds.push(chainId);
        _seats.mint(governance, chainId);

        emit ChainRegistered(chainId, parent, operator, verifier, uint8(depth), uint96(stake), genesisRoot);
        emit ChainAdmitted(chainId, governance, sec);
    }

    /// @dev The stake of an admission: the call's value plus the admission stake deposited for `chainId`
    ///      (consumed here), at least `minStake` and within 96 bits.
    function _takeStake(ChainId chainId, uint96 minStake) private returns (uint256 stake) {
        stake = msg.value;
        uint96 applied = _applications[chainId].amount;
        if (applied != 0) {
            stake += applied;
            delete _applications[chainId];
        }
        if (stake < minStake) revert RegistryInsufficientStake(stake, minStake);
        if (stake > type(uint96).max) revert RegistryStakeTooLarge(stake);
    }

    /// @dev Applies one chain's ack move [ackOld, ackNew) to the commitments of `id` (hot word `h`):
    ///      every live commitment with ackOld ≤ block < ackNew gains one acknowledgement. Scans from
    ///      the newest commitment down and stops at the first one below ackOld, at the finalized one,
    ///      or at the first that becomes final (everything older is pruned by it).
    /// @return The new hot word (ring lanes are written here; the caller writes the hot word).
    function _applyAck(
        Chain storage c,
        ChainId id,
        uint256 h,
        uint256 ackOld,
        uint256 ackNew
    ) private returns (uint256) {
        // Blocks are non-decreasing in index: if the latest is below ackOld, so is everything.
        if (h.latestBlock() < ackOld) return h;
        uint256 fin = h.finalizedIdx();
        uint256 b = h.b();
        uint256 j = h.latestIdx();
        if (h.latestBlock() < ackNew) {
            uint256 a = h.latestA() + 1;
            h = h.setLatestA(a);
            if (j == fin) return h;
            if (a << 1 > b) return _finalize(id, h, j);
            if (h.prevBlock() < ackOld) return h;
        } else if (j == fin) {
            return h;
        }
        // Older live commitments, newest first: j-1 down to fin.
        uint256 newFinal;
        uint256 page = type(uint256).max;
        uint256 word;
        bool dirty;
        while (true) {
            unchecked {
                --j;
            }
            uint256 pos = j & _RING_MASK;
            if (pos >> 2 != page) {
                if (dirty) c.meta[page] = word;
                page = pos >> 2;
                word = c.meta[page];
                dirty = false;
            }
            (uint256 blk, uint256 a) = word.lane(pos & 3);
            if (blk < ackOld) break;
            if (blk < ackNew) {
                unchecked {
                    ++a;
                }
                word = word.setLane(pos & 3, blk, a);
                dirty = true;
                if (j != fin && a << 1 > b) {
                    newFinal = j;
                    break;
                }
            }
            if (j == fin) break;
        }
        if (dirty) c.meta[page] = word;
        return newFinal == 0 ? h : _finalize(id, h, newFinal);
    }

    /// @dev Applies an ack move to chain `id` (hot word `h`, returned updated, not written) and to
    ///      every ancestor (written here).
    function _applyAckAlongPath(
        Chain storage c,
        ChainId id,
        uint256 h,
        uint256 ackOld,
        uint256 ackNew
    ) private returns (uint256) {
        h = _applyAck(c, id, h, ackOld, ackNew);
        for (ChainId u = ChainId.wrap(h.parent()); u != SETTLEMENT_ROOT;) {
            Chain storage uc = _chains[u];
            uint256 uh = uc.hot;
            uint256 nh = _applyAck(uc, u, uh, ackOld, ackNew);
            if (nh != uh) uc.hot = nh;
            u = ChainId.wrap(uh.parent());
        }
        return h;
    }

    /// @dev Appends `root` as the chain's new latest commitment at the current block, with a = 0.
    function _append(Chain storage c, ChainId id, uint256 h, bytes32 root) private returns (uint32 index) {
        uint256 last = h.latestIdx();
        uint256 pending = last - h.finalizedIdx();
        if (pending >= MAX_PENDING) revert RegistryTooManyPending(id, uint32(pending));
        // Spill the old latest commitment's (block, a) into its ring lane; the hot word takes the new one.
        uint256 pos = last & _RING_MASK;
        uint256 page = pos >> 2;
        c.meta[page] = c.meta[page].setLane(pos & 3, h.latestBlock(), h.latestA());
        unchecked {
            index = uint32(last + 1);
        }
        c.roots[index & _RING_MASK] = root;
        c.hot = h.appendCommitment(block.number);
    }

    /// @dev Discards the chain's pending commitments: latestIdx := finalizedIdx (block and a from its ring lane),
    ///      and deletes the discarded withdrawal roots. Returns the finalized and the former latest index.
    function _discardPending(Chain storage c, ChainId id) private returns (uint32 fin, uint32 last) {
        uint256 h = c.hot;
        fin = h.finalizedIdx();
        last = h.latestIdx();
        if (last == fin) return (fin, last);
        uint256 pos = fin & _RING_MASK;
        (uint256 blk, uint256 a) = c.meta[pos >> 2].lane(pos & 3);
        c.hot = RegistryPacking.hot(h.parent(), fin, fin, blk, a, 0, h.b());
        for (uint256 j = uint256(fin) + 1; j <= last; ++j) delete _withdrawalRoots[id][uint32(j)];
        emit PendingCommitmentsDiscarded(id, fin, last);
    }

    /// @dev Adds (`add`) or removes `count` Active chains with latest acks `acks` (zero acks may be omitted) to or
    ///      from b and a of `from` and every ancestor, then re-evaluates finality on each chain of the path once
    ///      (after all the moves: evaluating between them could finalize on a transient count).
    ///      O(depth · (acks + MAX_PENDING)); used only on status changes and relocations.
    function _adjustPath(ChainId from, uint256 count, uint256[] memory acks, bool add) private {
        for (ChainId u = from; u != SETTLEMENT_ROOT;) {
            Chain storage c = _chains[u];
            uint256 h = c.hot;
            uint256 b = add ? h.b() + count : h.b() - count;
            h = h.setB(b);
            for (uint256 k = 0; k < acks.length; ++k) {
                if (acks[k] != 0) h = _shiftAck(c, h, acks[k], add);
            }
            uint256 fin = h.finalizedIdx();
            for (uint256 j = h.latestIdx(); j > fin; --j) {
                (, uint256 a) = _blockAndA(c, h, j);
                if (a << 1 > b) {
                    h = _finalize(u, h, j);
                    break;
                }
            }
            c.hot = h;
            u = ChainId.wrap(h.parent());
        }
    }

    /// @dev Adds `n` Active chains with ack 0 to b of `from` and every ancestor (no a moves, so nothing becomes final).
    function _growB(ChainId from, uint256 n) private {
        for (ChainId u = from; u != SETTLEMENT_ROOT;) {
            Chain storage uc = _chains[u];
            uint256 h = uc.hot;
            uc.hot = h.setB(h.b() + n);
            u = ChainId.wrap(h.parent());
        }
    }

    /// @dev Adds (`add`) or removes one acknowledgement by a chain with ack `ack` > 0 on every live commitment of
    ///      `c` (hot word `h`, returned updated) made before `ack`.
    function _shiftAck(Chain storage c, uint256 h, uint256 ack, bool add) private returns (uint256) {
        uint256 last = h.latestIdx();
        for (uint256 j = h.finalizedIdx(); j < last; ++j) {
            uint256 pos = j & _RING_MASK;
            uint256 word = c.meta[pos >> 2];
            (uint256 blk, uint256 a) = word.lane(pos & 3);
            if (blk >= ack) break;
            c.meta[pos >> 2] = word.setLane(pos & 3, blk, add ? a + 1 : a - 1);
        }
        if (h.latestBlock() < ack) h = h.setLatestA(add ? h.latestA() + 1 : h.latestA() - 1);
        return h;
    }

    /// @dev Takes a child slot of `parent` (0 = the settlement chain) for `child`: Active, `child` within the
    ///      maximum depth below it, below the fan-out, not in `child`'s subtree (walks `parent`'s ancestors).
    ///      Returns `parent`'s depth (0 for the root).
    function _takeChildSlot(ChainId child, ChainId parent, Limits memory lim) private returns (uint256 depth) {
        uint16 maxFanOut = lim.maxFanOut;
        if (parent == SETTLEMENT_ROOT) {
            uint16 n = _rootChildCount;
            if (n >= maxFanOut) revert RegistryFanOutExceeded(parent, maxFanOut);
            _rootChildCount = n + 1;
            return 0;
        }
        Chain storage p = _chains[parent];
        uint256 pcfg = p.config;
        if (pcfg == 0) revert RegistryUnknownChain(parent);
        if (pcfg.status() != _ACTIVE) revert RegistryChainNotActive(parent, ChainStatus(pcfg.status()));
        depth = pcfg.depth();
        if (depth + 1 > lim.maxDepth) revert RegistryDepthExceeded(uint8(depth + 1), lim.maxDepth);
        for (ChainId u = parent; u != SETTLEMENT_ROOT; u = ChainId.wrap(_chains[u].hot.parent())) {
            if (u == child) revert RegistryBadNewParent(child, parent);
        }
        uint16 children = pcfg.childCount();
        if (children >= maxFanOut) revert RegistryFanOutExceeded(parent, maxFanOut);
        p.config = pcfg.setChildCount(uint256(children) + 1);
    }

    /// @dev Checks that `subtree` is exactly the subtree of `root` with each entry after its parent (siblings in
    ///      increasing id order, which rules out repeats; then Σ childCount = n - 1 means no child is missing),
    ///      rewrites each entry's depth from `baseDepth` (within `maxDepth`) and resets its acks and a-counts.
    ///      Returns the acks the subtree's Active chains had, and how many are Active.
    function _checkSubtree(
        ChainId root,
        ChainId[] calldata subtree,
        uint256[] calldata parentIndex,
        uint256 baseDepth,
        uint8 maxDepth
    ) private returns (uint256[] memory acks, uint256 nActive) {
        uint256 n = subtree.length;
        if (n == 0 || parentIndex.length != n || subtree[0] != root) revert RegistryBadSubtree(root);
        // Per entry: its depth (low 8 bits) and the id of its last child seen so far (above).
        uint256[] memory info = new uint256[](n);
        acks = new uint256[](n);
        uint256 children;
        for (uint256 i = 0; i < n; ++i) {
            Chain storage c = _chains[subtree[i]];
            uint256 depth = i == 0 ? baseDepth : _placeEntry(root, subtree, parentIndex[i], i, c.hot.parent(), info);
            if (depth > maxDepth) revert RegistryDepthExceeded(uint8(depth), maxDepth);
            info[i] = depth;
            uint256 cfg = c.config;
            children += cfg.childCount();
            if (cfg.status() == _ACTIVE) acks[nActive++] = cfg.latestAck();
            _resetAcks(c, cfg, depth);
        }
        if (children != n - 1) revert RegistryBadSubtree(root);
        assembly ("memory-safe") {
            mstore(acks, nActive)
        }
    }

    /// @dev Entry `i` (parent id `parentId`) claims `subtree[p]` as its parent: checks it, records it as that
    ///      parent's last child, and returns its depth (the caller checks it against the maximum).
    function _placeEntry(
        ChainId root,
        ChainId[] calldata subtree,
        uint256 p,
        uint256 i,
        uint64 parentId,
        uint256[] memory info
    ) private pure returns (uint256 depth) {
        uint256 id = ChainId.unwrap(subtree[i]);
        uint256 parentInfo = p < i ? info[p] : 0;
        if (p >= i || ChainId.unwrap(subtree[p]) != parentId || id <= parentInfo >> 8) revert RegistryBadSubtree(root);
        info[p] = (id << 8) | (parentInfo & 0xff);
        depth = (parentInfo & 0xff) + 1;
    }

    /// @dev A relocated chain: new depth, ack 0, and a = 0 on every live commitment (no ack in its subtree is left).
    function _resetAcks(Chain storage c, uint256 cfg, uint256 depth) private {
        c.config = cfg.setDepth(depth).setLatestAck(0);
        uint256 h = c.hot;
        uint256 last = h.latestIdx();
        for (uint256 j = h.finalizedIdx(); j < last; ++j) {
            uint256 pos = j & _RING_MASK;
            uint256 word = c.meta[pos >> 2];
            (uint256 blk, ) = word.lane(pos & 3);
            c.meta[pos >> 2] = word.setLane(pos & 3, blk, 0);
        }
        c.hot = h.setLatestA(0);
    }

    /// @dev Marks commitment `j` of `id` final and prunes everything older.
    function _finalize(ChainId id, uint256 h, uint256 j) private returns (uint256) {
        uint32 old = h.finalizedIdx();
        emit CommitmentFinalized(id, uint32(j));
        emit CommitmentsPruned(id, old, uint32(j));
        return h.setFinalizedIdx(j);
    }

    /// @dev Block and a-count of live commitment `j`: the latest is in the hot word, others in the ring.
    function _blockAndA(Chain storage c, uint256 h, uint256 j) private view returns (uint256, uint256) {
        if (j == h.latestIdx()) return (h.latestBlock(), h.latestA());
        uint256 pos = j & _RING_MASK;
        return c.meta[pos >> 2].lane(pos & 3);
    }

    function _known(ChainId chainId) private view returns (Chain storage c) {
        c = _chains[chainId];
        if (c.config == 0) revert RegistryUnknownChain(chainId);
    }

    /// @dev With a bound queue, an update's queue point must be at or after the latest commitment's position, and
    ///      a point of the queue when it moves (an unmoved position consumes nothing, whatever its hash says).
    function _checkQueuePoint(Chain storage c, ChainId id, uint256 latest, uint64 pos, bytes32 hash) private view {
        IRequestQueue q = _queue;
        if (address(q) == address(0)) return;
        uint64 old = _positionAt(c, latest);
        if (pos < old) revert RegistryQueueRewind(id, old, pos);
        if (pos != old && !q.isQueuePoint(id, pos, hash)) revert RegistryBadQueuePoint(id, pos, hash);
    }

    function _positionAt(Chain storage c, uint256 index) private view returns (uint64) {
        uint256 pos = index & _RING_MASK;
        return uint64(c.positions[pos >> 2] >> ((pos & 3) << 6));
    }

    function _setPosition(Chain storage c, uint256 index, uint64 position) private {
        uint256 pos = index & _RING_MASK;
        uint256 shift = (pos & 3) << 6;
        uint256 word = c.positions[pos >> 2];
        uint256 updated = (word & ~(uint256(type(uint64).max) << shift)) | (uint256(position) << shift);
        if (updated != word) c.positions[pos >> 2] = updated;
    }

    /// @dev A registered, not ejected chain.
    function _member(ChainId chainId) private view returns (Chain storage c) {
        c = _known(chainId);
        if (c.config.status() == uint8(ChainStatus.Ejected)) revert RegistryNotMember(chainId);
    }
}
