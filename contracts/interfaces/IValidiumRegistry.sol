// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

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

    /// @notice Tree limits, set at deployment and by the admin within hard bounds.
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
    /// @notice Limits out of their hard bounds.
    error RegistryInvalidLimits(uint16 maxFanOut, uint8 maxDepth);

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
    /// @notice The tree limits changed.
    event LimitsUpdated(uint16 maxFanOut, uint8 maxDepth, uint96 minStake);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Adds a chain under `parent` (0 for the settlement chain). Registrar only; `msg.value`
    ///         is the chain's stake and must be at least `limits().minStake`.
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

    /// @notice Moves a chain between Active, Frozen and Ejected (Ejected is terminal). Status role only.
    ///         Leaving Active removes the chain from b and a of itself and every ancestor; coming back
    ///         re-adds it. Finality is re-evaluated along the path and never goes backwards.
    /// @param chainId The chain.
    /// @param status Its new status.
    function setChainStatus(ChainId chainId, ChainStatus status) external;

    /// @notice Sets the tree limits. Admin only; `1 ≤ maxFanOut ≤ 1024`, `1 ≤ maxDepth ≤ 32`.
    ///         Existing chains are not affected.
    /// @param limits The new limits.
    function setLimits(Limits calldata limits) external;

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

    /// @notice The current tree limits.
    function limits() external view returns (Limits memory);

    /// @notice Most pending (unfinalized) commitments a chain may have; further updates revert.
    function MAX_PENDING() external view returns (uint32);

    /// @notice Role that may register chains (held by the cluster timelock after deployment).
    function REGISTRAR_ROLE() external view returns (bytes32);

    /// @notice Role that may change chain status (freeze, unfreeze, eject).
    function STATUS_ROLE() external view returns (bytes32);
}
