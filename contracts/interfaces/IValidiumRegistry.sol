// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IClusterConfig} from "./IClusterConfig.sol";
import {IClusterSeats} from "./IClusterSeats.sol";
import {IRequestQueue} from "./IRequestQueue.sol";
import {ChainId} from "../types/ChainId.sol";
import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title IValidiumRegistry
/// @notice The cluster's tree of chains, their commitments, and the (a, b) acceptance rule that decides
///         when a commitment is final (docs/PROTOCOL.md §2; the Slush proposal, "The mechanism").
/// @dev Definitions, for a commitment c of chain u made at settlement block t_c:
///      - b(u): number of Active chains in subtree(u), u included;
///      - a(c): number of Active chains w in subtree(u), u included, whose latest ack block is > t_c;
///      - c is final once 2·a(c) > b(u) at some moment; finality never goes backwards;
///      - when c becomes final, every older commitment of u is pruned.
///      Membership (docs/GOVERNANCE.md): a chain is a member while it is Active or Frozen; each member has
///      exactly one seat in `seats()`, minted on admission and burned on ejection. A member's security
///      configuration (operator, verifier, escape verifier, code and config hashes) changes only through
///      announce → approve (cluster timelock) → activate after `UpgradeDelay`.
interface IValidiumRegistry {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Lifecycle of a chain. Only Active chains update and count in b and a.
    enum ChainStatus {
        None,
        Active,
        Frozen,
        Ejected
    }

    /// @notice Where a commitment stands.
    enum CommitmentStatus {
        /// @dev Not yet final.
        Pending,
        /// @dev The chain's newest final commitment.
        Finalized,
        /// @dev Older than the newest final commitment; its data is no longer kept on chain.
        Pruned
    }

    /// @notice Everything the registry knows about one chain.
    struct ChainInfo {
        ChainId parent;
        address operator;
        address verifier;
        ChainStatus status;
        uint8 depth;
        uint16 childCount;
        uint32 subtreeSize;
        uint96 stake;
        uint64 latestAck;
        uint32 latestIndex;
        uint32 finalizedIndex;
    }

    /// @notice One commitment and its acceptance pair. For a pruned commitment only `status` is set.
    struct CommitmentInfo {
        bytes32 root;
        uint64 blockNumber;
        uint32 a;
        uint32 b;
        CommitmentStatus status;
    }

    /// @notice A member's security-critical configuration: what the cluster must approve before it changes.
    /// @dev `operator` is the operator policy: an EOA, or a contract enforcing a multi-operator policy (a
    ///      multisig, a sequencer set). `codeHash` and `configHash` are the member's declared node software
    ///      and chain configuration (hashes of release artifacts, published off chain).
    struct SecurityConfig {
        address operator;
        address verifier;
        address escapeVerifier;
        bytes32 codeHash;
        bytes32 configHash;
    }

    /// @notice Everything a governance admission decides about a new member.
    struct Admission {
        ChainId chainId;
        ChainId parent;
        address governance;
        SecurityConfig security;
        bytes32 genesisRoot;
    }

    /// @notice A member's announced, not yet active, security change.
    struct PendingSecurityChange {
        SecurityConfig config;
        /// @dev keccak256(abi.encode(chainId, nonce, config)); approvals name it, so a re-announcement
        ///      (even of the same config) needs a new approval.
        bytes32 changeHash;
        uint64 announcedAt;
        /// @dev 0 until approved.
        uint64 approvedAt;
        /// @dev approvedAt + UpgradeDelay at approval time; 0 until approved.
        uint64 activatesAt;
    }

    /// @notice Tree limits, read from the cluster configuration (IClusterConfig).
    struct Limits {
        uint16 maxFanOut;
        uint8 maxDepth;
        uint96 minStake;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice `chainId` is not registered.
    error RegistryUnknownChain(ChainId chainId);
    /// @notice `chainId` is already registered.
    error RegistryChainExists(ChainId chainId);
    /// @notice Chain id 0 is the settlement chain and cannot be registered.
    error RegistryReservedChainId();
    /// @notice An operator or verifier address was zero.
    error RegistryZeroAddress();
    /// @notice The parent already has `maxFanOut` children.
    error RegistryFanOutExceeded(ChainId parent, uint16 maxFanOut);
    /// @notice The new chain would sit at `depth`, deeper than `maxDepth`.
    error RegistryDepthExceeded(uint8 depth, uint8 maxDepth);
    /// @notice The stake sent with a registration is below the minimum.
    error RegistryInsufficientStake(uint256 sent, uint256 required);
    /// @notice The stake sent with a registration does not fit in 96 bits.
    error RegistryStakeTooLarge(uint256 sent);
    /// @notice The caller is not the chain's operator.
    error RegistryNotOperator(ChainId chainId, address caller);
    /// @notice The chain (or a would-be parent) is not Active.
    error RegistryChainNotActive(ChainId chainId, ChainStatus status);
    /// @notice The update does not build on the chain's latest commitment.
    error RegistryNotOnLatest(ChainId chainId, bytes32 latestRoot, bytes32 prevRoot);
    /// @notice The ack block is later than the current block.
    error RegistryAckInFuture(uint64 ackBlock, uint256 currentBlock);
    /// @notice The ack block is lower than the chain's previous ack block.
    error RegistryAckDecreasing(uint64 ackBlock, uint64 previousAck);
    /// @notice The chain's verifier rejected the update.
    error RegistryInvalidProof(ChainId chainId, address verifier);
    /// @notice The chain already has the maximum number of pending (unfinalized) commitments.
    error RegistryTooManyPending(ChainId chainId, uint32 pending);
    /// @notice `index` is not a commitment of `chainId` (beyond its latest).
    error RegistryUnknownCommitment(ChainId chainId, uint32 index);
    /// @notice The requested status change is not allowed.
    error RegistryInvalidStatusChange(ChainId chainId, ChainStatus from, ChainStatus to);
    /// @notice The caller is not the chain's governance address (its seat holder).
    error RegistryNotChainGovernance(ChainId chainId, address caller);
    /// @notice The chain has no pending security change.
    error RegistryNoPendingChange(ChainId chainId);
    /// @notice The approval names another change than the pending one.
    error RegistryChangeMismatch(ChainId chainId, bytes32 pending, bytes32 given);
    /// @notice The pending change has not been approved by the cluster.
    error RegistryChangeNotApproved(ChainId chainId, bytes32 changeHash);
    /// @notice The pending change was already approved.
    error RegistryChangeAlreadyApproved(ChainId chainId, bytes32 changeHash);
    /// @notice The approved change cannot activate before `activatesAt`.
    error RegistryChangeNotReady(ChainId chainId, uint64 activatesAt);
    /// @notice The chain is not a member (not registered, or ejected).
    error RegistryNotMember(ChainId chainId);
    /// @notice Another applicant already holds an admission stake for `chainId`.
    error RegistryApplicationTaken(ChainId chainId, address applicant);
    /// @notice `caller` holds no admission stake for `chainId`.
    error RegistryNoApplication(ChainId chainId, address caller);
    /// @notice An admission stake deposit carried no value.
    error RegistryZeroDeposit();
    /// @notice Returning an admission stake failed.
    error RegistryTransferFailed(address to, uint256 amount);
    /// @notice The request queue is already bound (it is set once).
    error RegistryQueueAlreadyBound(address queue);
    /// @notice The update's queue position is below the chain's latest one: queues are consumed forwards only.
    error RegistryQueueRewind(ChainId chainId, uint64 latest, uint64 given);
    /// @notice `(position, rollingHash)` is not a point of the chain's request queue.
    error RegistryBadQueuePoint(ChainId chainId, uint64 position, bytes32 rollingHash);
    /// @notice A frozen chain whose escape hatch has paid anyone (an escape or a reclaimed deposit) cannot be
    ///         made Active again: its last final state no longer matches its escrow.
    error RegistryHatchUsed(ChainId chainId);
    /// @notice The subtree list given to `relocate` is not exactly the subtree of `chainId` in parent order.
    error RegistryBadSubtree(ChainId chainId);
    /// @notice `newParent` lies in the subtree of `chainId` (or is the current parent).
    error RegistryBadNewParent(ChainId chainId, ChainId newParent);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A chain joined the tree. Its genesis is commitment 0, final from the start.
    event ChainRegistered(
        ChainId indexed chainId,
        ChainId indexed parent,
        address indexed operator,
        address verifier,
        uint8 depth,
        uint96 stake,
        bytes32 genesisRoot
    );
    /// @notice A chain committed a new state root at index `index` in this block.
    event UpdateSubmitted(
        ChainId indexed chainId,
        uint32 indexed index,
        bytes32 newRoot,
        uint64 ackBlock,
        uint64 l2Block
    );
    /// @notice Commitment `index` of `chainId` became final.
    event CommitmentFinalized(ChainId indexed chainId, uint32 indexed index);
    /// @notice Commitments `fromIndex` to `toIndex - 1` of `chainId` were pruned.
    event CommitmentsPruned(ChainId indexed chainId, uint32 fromIndex, uint32 toIndex);
    /// @notice A chain's status changed.
    event ChainStatusChanged(ChainId indexed chainId, ChainStatus from, ChainStatus to);
    /// @notice `applicant` deposited `amount` towards the admission stake of `chainId` (now `total`).
    event AdmissionStakeDeposited(ChainId indexed chainId, address indexed applicant, uint256 amount, uint256 total);
    /// @notice `applicant` took back its admission stake for `chainId`.
    event AdmissionStakeWithdrawn(ChainId indexed chainId, address indexed applicant, uint256 amount);
    /// @notice The chain's security configuration and governance address, set on admission.
    event ChainAdmitted(ChainId indexed chainId, address indexed governance, SecurityConfig security);
    /// @notice The request queue whose points every update's `(queuePosition, queueHash)` must be.
    event RequestQueueBound(address indexed queue);
    /// @notice `by` (the freezer role: the forced-operations queue) froze `chainId`.
    event ChainFrozen(ChainId indexed chainId, address indexed by);
    /// @notice The chain's governance address (its seat holder) changed.
    event ChainGovernanceChanged(ChainId indexed chainId, address indexed previous, address indexed governance);
    /// @notice The chain's governance announced a security change.
    event SecurityChangeAnnounced(ChainId indexed chainId, bytes32 indexed changeHash, SecurityConfig config);
    /// @notice The pending change was withdrawn (by the chain's governance or the cluster).
    event SecurityChangeCancelled(ChainId indexed chainId, bytes32 indexed changeHash);
    /// @notice The cluster approved the pending change; it can activate from `activatesAt`.
    event SecurityChangeApproved(ChainId indexed chainId, bytes32 indexed changeHash, uint64 activatesAt);
    /// @notice The approved change took effect.
    event SecurityChangeActivated(ChainId indexed chainId, bytes32 indexed changeHash, SecurityConfig config);
    /// @notice An emergency election installed `operator` on `chainId`: commitments after `rolledBackTo` (the
    ///         finalized one) up to `discardedTo` were discarded, and the old operator's stake `slashed` was sent
    ///         to the election contract.
    event OperatorElected(
        ChainId indexed chainId,
        address indexed previous,
        address indexed operator,
        uint32 rolledBackTo,
        uint32 discardedTo,
        uint256 slashed
    );
    /// @notice The pending commitments `finalizedIndex + 1` to `discardedTo` of `chainId` were discarded: the chain
    ///         left Active (frozen or ejected: its final state is fixed from then on) or an election rolled it back.
    event PendingCommitmentsDiscarded(ChainId indexed chainId, uint32 finalizedIndex, uint32 discardedTo);
    /// @notice `chainId` and its subtree (`size` chains, `active` of them Active) moved from parent `from` to
    ///         parent `to`. Every chain of the subtree starts acknowledging again from ack block 0.
    event ChainRelocated(ChainId indexed chainId, ChainId indexed from, ChainId indexed to, uint32 size, uint32 active);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Deposits an applicant's admission stake for `chainId` before the cluster votes, so that the
    ///         stake is earmarked for this chain and no other proposal can spend it. One applicant per chain
    ///         id (it may top up); the chain must not be registered.
    /// @param chainId The chain id the applicant asks to be admitted under.
    function depositAdmissionStake(ChainId chainId) external payable;

    /// @notice Returns the caller's admission stake for a chain that has not been admitted.
    /// @param chainId The chain id applied for.
    function withdrawAdmissionStake(ChainId chainId) external;

    /// @notice Admits a member: registry entry, security configuration, and a seat minted to its governance
    ///         address. Registrar only (the cluster timelock). The stake is `msg.value` plus the admission
    ///         stake deposited for `chainId` (`depositAdmissionStake`), and must be at least
    ///         `limits().minStake`.
    /// @dev Same checks as `registerChain`, plus a non-zero governance address.
    /// @param admission The new member.
    function admitChain(Admission calldata admission) external payable;

    /// @notice Adds a chain under `parent` (0 for the settlement chain). Registrar only; `msg.value`
    ///         plus any admission stake deposited for `chainId` is the chain's stake and must be at least
    ///         `limits().minStake`. Shorthand for `admitChain`
    ///         with governance = operator, no escape verifier and zero code/config hashes.
    /// @param chainId The new chain's id (non-zero, unused).
    /// @param parent Its parent: 0 or an Active chain with fewer than `maxFanOut` children.
    /// @param operator The address allowed to submit its updates.
    /// @param verifier Its `IUpdateVerifier`.
    /// @param genesisRoot The state root of commitment 0.
    function registerChain(
        ChainId chainId,
        ChainId parent,
        address operator,
        address verifier,
        bytes32 genesisRoot
    ) external payable;

    /// @notice Commits a new state root for `data.chainId`. Operator only; the chain must be Active.
    /// @dev Checks, in order: known chain, operator, Active, ack block (≤ current block, ≥ previous),
    ///      `prevRoot` equals the latest commitment's root, the verifier accepts `(data, proof)`.
    ///      Then applies the ack to the chain and its ancestors (finalizing and pruning where a
    ///      majority now holds), and appends the commitment at the current block with a = 0.
    /// @param data The update's public data.
    /// @param proof Proof bytes for the chain's verifier.
    /// @return index The new commitment's index.
    function submitUpdate(UpdatePublicData calldata data, bytes calldata proof) external returns (uint32 index);

    /// @notice Moves a chain between Active, Frozen and Ejected (Ejected is terminal, and burns its seat).
    ///         Status role only.
    ///         Leaving Active first discards the chain's pending commitments (`PendingCommitmentsDiscarded`), then
    ///         removes the chain from b and a of itself and every ancestor; coming back re-adds it (refused with
    ///         `RegistryHatchUsed` once the chain's escape hatch has paid). Finality is re-evaluated along the path
    ///         and never goes backwards.
    /// @param chainId The chain.
    /// @param status Its new status.
    function setChainStatus(ChainId chainId, ChainStatus status) external;

    /// @notice Binds the request queue, once. Admin only. From then on every update's `(queuePosition,
    ///         queueHash)` must be a point of that queue at or after the chain's latest position, whatever the
    ///         chain's verifier (so a development or TEE verifier cannot claim to have consumed forced requests).
    /// @param queue The queue (non-zero).
    function bindRequestQueue(IRequestQueue queue) external;

    /// @notice Freezes an Active chain: its pending commitments are discarded (its last final commitment is the
    ///         state escapes and reclaims read, and it never changes while the chain is not Active), it accepts no
    ///         more updates and leaves b of every ancestor. Freezer role
    ///         only (held by the request queue, which freezes a chain whose forced request passed its deadline).
    /// @param chainId The chain.
    function freeze(ChainId chainId) external;

    /// @notice Installs the winner of an emergency election. Election role only (held by `EmergencyElection`,
    ///         which checks the strict majority of active strict descendants). The chain (Active or Frozen, a
    ///         member) is rolled back to its finalized commitment (later ones are discarded with their
    ///         withdrawal roots and queue positions), gets `operator` with `operatorSince` = now (forced
    ///         deadlines restart), loses any pending security change, and is made Active if it was Frozen
    ///         (reverts `RegistryHatchUsed` if its escape hatch has paid). Its whole stake is sent to the caller.
    /// @param chainId The chain.
    /// @param operator The elected operator (non-zero).
    /// @return rolledBackTo The finalized commitment the chain continues from.
    /// @return slashed The stake sent to the caller.
    function installElectedOperator(
        ChainId chainId,
        address operator
    ) external returns (uint32 rolledBackTo, uint256 slashed);

    /// @notice Moves an Active chain and its whole subtree under `newParent` (0 = the settlement chain).
    ///         Relocator role only (held by `ChainRelocation`, which checks consent). Checks: `newParent` is
    ///         Active (or 0), not in the subtree, not the current parent, has a free child slot, and every chain
    ///         of the subtree stays within the maximum depth. b of every old ancestor drops by the subtree's
    ///         Active count, and so does a of their commitments that subtree chains had acknowledged (finality is
    ///         re-evaluated on the old path); b of every new ancestor grows by it. Acks of the subtree reset to 0
    ///         (they were about the old ancestors' data), so its chains' pending commitments restart at a = 0.
    /// @param chainId The subtree's root.
    /// @param newParent The new parent.
    /// @param subtree Every chain of the subtree (Ejected ones included), `subtree[0] == chainId`, each after
    ///        its parent.
    /// @param parentIndex For i ≥ 1, the index in `subtree` of `subtree[i]`'s parent (`parentIndex[0]` unused).
    function relocate(
        ChainId chainId,
        ChainId newParent,
        ChainId[] calldata subtree,
        uint256[] calldata parentIndex
    ) external;

    /// @notice Announces a change of the chain's security configuration. The chain's governance only; the
    ///         chain must be a member. Replaces any pending change (and its approval).
    /// @param chainId The member chain.
    /// @param config The complete new configuration (operator and verifier non-zero).
    /// @return changeHash The identifier an approval must name.
    function announceSecurityChange(
        ChainId chainId,
        SecurityConfig calldata config
    ) external returns (bytes32 changeHash);

    /// @notice Hands the chain's governance (and its seat, burned and re-minted) to `newGovernance`. The chain's
    ///         governance, or the approver role (the cluster, e.g. to recover a lost key). Members only. Drops
    ///         any pending security change: one announced by the previous governance does not survive it.
    /// @param chainId The member chain.
    /// @param newGovernance The new governance address (non-zero).
    function setChainGovernance(ChainId chainId, address newGovernance) external;

    /// @notice Withdraws the pending change. The chain's governance or the approver role.
    /// @param chainId The member chain.
    function cancelSecurityChange(ChainId chainId) external;

    /// @notice Approves the pending change named by `changeHash`; it can activate `UpgradeDelay` seconds
    ///         later. Approver role only (the cluster timelock, so a proposal and the timelock delay come first).
    /// @param chainId The member chain.
    /// @param changeHash The pending change's hash.
    function approveSecurityChange(ChainId chainId, bytes32 changeHash) external;

    /// @notice Activates the approved change once `activatesAt` has passed. Anyone.
    /// @param chainId The member chain.
    function activateSecurityChange(ChainId chainId) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Everything about one chain.
    function chain(ChainId chainId) external view returns (ChainInfo memory);

    /// @notice b(chainId): Active chains in its subtree, itself included.
    function subtreeSize(ChainId chainId) external view returns (uint32);

    /// @notice The chain's ancestors, parent first, ending with a top-level chain (0 is not listed).
    function ancestors(ChainId chainId) external view returns (ChainId[] memory path);

    /// @notice Commitment `index` of `chainId` with its current (a, b) and status.
    function commitment(ChainId chainId, uint32 index) external view returns (CommitmentInfo memory);

    /// @notice The acceptance pair (a, b) of commitment `index` of `chainId`; (0, b) if pruned.
    function acceptance(ChainId chainId, uint32 index) external view returns (uint32 a, uint32 b);

    /// @notice The chain's latest commitment.
    function latestCommitment(ChainId chainId) external view returns (uint32 index, CommitmentInfo memory info);

    /// @notice The chain's newest final commitment.
    function finalizedCommitment(ChainId chainId) external view returns (uint32 index, CommitmentInfo memory info);

    /// @notice Number of registered chains (any status).
    function chainCount() external view returns (uint256);

    /// @notice The status of `chainId`: `None` when it is not registered (and for the settlement root).
    /// @dev One storage read; for contracts that gate user entry points on a chain being active.
    function chainStatus(ChainId chainId) external view returns (ChainStatus);

    /// @notice The `i`-th registered chain id, in registration order.
    function chainIdAt(uint256 i) external view returns (ChainId);

    /// @notice The current tree limits (read from `clusterConfig()`).
    function limits() external view returns (Limits memory);

    /// @notice The request queue bound to this registry (zero until bound).
    function requestQueue() external view returns (IRequestQueue);

    /// @notice The queue position the chain's latest commitment consumed up to (its update's `queuePosition`).
    function queuePosition(ChainId chainId) external view returns (uint64);

    /// @notice The queue position of live commitment `index` (0 for genesis; reverts when pruned or beyond
    ///         the latest).
    function commitmentQueuePosition(ChainId chainId, uint32 index) external view returns (uint64);

    /// @notice The withdrawal root committed by commitment `index` (kept after pruning; zero when none).
    ///         Withdrawals are claimable once `index ≤ finalizedIndex`.
    function withdrawalRoot(ChainId chainId, uint32 index) external view returns (bytes32);

    /// @notice When the chain's current operator took over (admission, an activated operator change): forced
    ///         requests queued earlier get their deadline counted from here.
    function operatorSince(ChainId chainId) external view returns (uint64);

    /// @notice The admission stake deposited for `chainId` and its applicant (zero when none).
    function admissionStake(ChainId chainId) external view returns (address applicant, uint96 amount);

    /// @notice The chain's current security configuration.
    function securityConfig(ChainId chainId) external view returns (SecurityConfig memory);

    /// @notice The chain's pending security change (all zero if none).
    function pendingSecurityChange(ChainId chainId) external view returns (PendingSecurityChange memory);

    /// @notice The chain's governance address: its seat holder, who announces its security changes.
    function chainGovernance(ChainId chainId) external view returns (address);

    /// @notice The seats contract, created by this registry.
    function seats() external view returns (IClusterSeats);

    /// @notice The cluster-wide parameters this registry reads.
    function clusterConfig() external view returns (IClusterConfig);

    /// @notice Role that approves members' security changes (held by the cluster timelock).
    function APPROVER_ROLE() external view returns (bytes32);

    /// @notice Role that may `freeze` a chain (held by the request queue).
    function FREEZER_ROLE() external view returns (bytes32);

    /// @notice Role that may `installElectedOperator` (held by `EmergencyElection`).
    function ELECTION_ROLE() external view returns (bytes32);

    /// @notice Role that may `relocate` a subtree (held by `ChainRelocation`).
    function RELOCATOR_ROLE() external view returns (bytes32);

    /// @notice Most pending (unfinalized) commitments a chain may have; further updates revert.
    function MAX_PENDING() external view returns (uint32);

    /// @notice Role that may register chains (held by the cluster timelock after deployment).
    function REGISTRAR_ROLE() external view returns (bytes32);

    /// @notice Role that may change chain status (freeze, unfreeze, eject).
    function STATUS_ROLE() external view returns (bytes32);
}
