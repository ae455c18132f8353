// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IValidiumRegistry} from "../../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../../contracts/registry/ValidiumRegistry.sol";
import {ChainId} from "../../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../../contracts/types/UpdatePublicData.sol";

import {ConfigDefaults} from "../utils/ConfigDefaults.sol";
import {VM, Vm} from "../utils/Vm.sol";

import {OutcomeLog} from "./OutcomeLog.sol";

/// @title RegistryHandler
/// @notice The invariant fuzzer's actor: registers chains in a bounded tree, submits updates with bounded
///         random acks as the right operator (and, now and then, hostile ones), rolls blocks forward and
///         changes statuses. It keeps ghost state (parents, statuses, acks, every commitment's block and
///         root, the highest finalized index seen) from which the invariants recount a and b by brute
///         force. Every call's outcome is predicted first: an accepted call that should have failed, or
///         a rejection with any other error than the predicted one, is counted in `unexpectedOutcomes`.
/// @dev The handler deploys the registry itself and holds all its roles. Only its mutating functions
///      (the actions) are fuzzed: the runner skips view and pure functions of a target contract. The
///      block number is kept in `ghostBlock` and re-applied with vm.roll at the start of every action,
///      so it does not depend on the runner persisting it.
///      The runner identifies this contract by matching its deployed bytecode against the artifacts:
///      run the whole suite (or `npx hardhat build`) rather than only RegistryInvariants.t.sol after a
///      clean, or it finds no artifact for this file and reports "No contracts to fuzz".
// solhint-disable-next-line max-states-count
contract RegistryHandler is OutcomeLog {
    // solhint-disable-next-line const-name-snakecase
    Vm internal constant vm = VM;

    uint256 public constant MAX_CHAINS = 24;
    uint16 public constant MAX_FAN_OUT = 3;
    uint8 public constant MAX_DEPTH = 8;
    uint256 public constant MAX_PENDING = 63;

    uint8 internal constant _NONE = uint8(IValidiumRegistry.ChainStatus.None);
    uint8 internal constant _ACTIVE = uint8(IValidiumRegistry.ChainStatus.Active);
    uint8 internal constant _FROZEN = uint8(IValidiumRegistry.ChainStatus.Frozen);
    uint8 internal constant _EJECTED = uint8(IValidiumRegistry.ChainStatus.Ejected);

    ValidiumRegistry public immutable registry;
    address public immutable verifier;

    /*//////////////////////////////////////////////////////////////
                                 GHOST
    //////////////////////////////////////////////////////////////*/

    uint64[] internal _ids;
    mapping(uint64 => bool) public ghostKnown;
    mapping(uint64 => uint64) public ghostParent;
    mapping(uint64 => uint8) public ghostStatus;
    mapping(uint64 => uint8) public ghostDepth;
    mapping(uint64 => uint16) public ghostChildCount;
    uint16 public ghostRootChildCount;
    mapping(uint64 => uint64) public ghostAck;
    /// @dev Block and root of every commitment ever made, pruned ones included, by index.
    mapping(uint64 => uint64[]) internal _blocks;
    mapping(uint64 => bytes32[]) internal _roots;
    /// @dev Highest finalized index the registry ever reported for the chain (after any action).
    mapping(uint64 => uint32) public ghostMaxFinalizedSeen;
    /// @dev Newest commitment that had 2·a > b (brute force) after any action: the model's finalized index.
    mapping(uint64 => uint32) public ghostNewestMajority;
    uint256 public ghostBlock;

    /// @dev Times the registry's finalized index went down between two actions.
    uint256 public finalizedDecreases;

    /// @dev Call statistics (accepted / rejected as predicted), for tuning the campaign.
    uint256 public registered;
    uint256 public updated;
    uint256 public statusChanged;
    uint256 public finalizations;

    /// @notice Deploys the registry (this contract is its admin, registrar and status manager) with a cluster
    ///         configuration (this contract its governance and guardian) of limits (MAX_FAN_OUT, MAX_DEPTH, 0),
    ///         and seeds a small tree, 1 ── 2 ── 3 and 1 ── 4, so that every run starts with chains to update.
    constructor(address verifier_) {
        registry = new ValidiumRegistry(address(this), ConfigDefaults.deploy(address(this), MAX_FAN_OUT, MAX_DEPTH, 0));
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        verifier = verifier_;
        ghostBlock = block.number;
        _register(1, 0);
        _register(2, 1);
        _register(3, 2);
        _register(4, 1);
        ++ghostBlock;
    }

    modifier action() {
        vm.roll(ghostBlock);
        _;
        _afterAction();
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers a chain, usually under a chain that can take a child (searching back from the
    ///         newest one 3 times in 8, which grows depth, else from a random one), sometimes under the
    ///         settlement chain, any chain (maybe Frozen, full or at max depth) or an unknown id. The id is
    ///         a fresh random one, the raw fuzzed value, 0 (1 in 16) or a duplicate (1 in 16).
    function registerChain(uint256 idSeed, uint256 parentSeed) external action {
        uint256 n = _ids.length;
        uint256 r = _rand(parentSeed, 1);
        uint64 id;
        if (n > 0 && r % 16 == 0) {
            id = _ids[idSeed % n];
        } else if (r % 16 == 1) {
            id = 0;
        } else if (r % 4 == 2) {
            id = uint64(_rand(idSeed, 2));
        } else {
            id = uint64(idSeed);
        }
        uint64 parent;
        uint256 p = (r >> 8) % 32;
        if (p == 0) {
            parent = uint64(parentSeed);
        } else if (p < 4 || n == 0) {
            parent = 0;
        } else if (p < 8) {
            parent = _ids[parentSeed % n];
        } else {
            parent = _eligibleParent(p < 20 ? n - 1 : parentSeed % n);
        }

        if (n >= MAX_CHAINS && _expectedRegisterError(id, parent).length == 0) return;
        _register(id, parent);
    }

    /// @notice Submits an update of a random chain (an Active one 15 times in 16). Mostly well-formed
    ///         (ack: the previous one, the current block, or in between), sometimes (1 in 16 each) with an
    ///         ack in the future (up to 2^64 - 1) or below the previous one, and (1 in 32 each) with a
    ///         wrong prevRoot or a wrong caller.
    function submitUpdate(uint256 chainSeed, uint256 ackSeed, bytes32 newRoot) external action {
        if (_ids.length == 0) return;
        uint256 r = _rand(ackSeed, 3);
        uint64 id = _pickChain(chainSeed, r % 16 != 0);
        uint64 prev = ghostAck[id];
        uint64 ack;
        uint256 mode = (r >> 8) % 16;
        if (mode < 3) {
            ack = prev;
        } else if (mode < 7) {
            ack = uint64(block.number);
        } else if (mode == 7) {
            ack = uint64(block.number + 1 + (ackSeed % (type(uint64).max - block.number)));
        } else if (mode == 8 && prev > 0) {
            ack = uint64(ackSeed % prev);
        } else {
            ack = uint64(prev + (ackSeed % (block.number - prev + 1)));
        }
        uint256 hostile = (r >> 16) % 32;
        address caller = hostile == 0 ? address(uint160(chainSeed)) : operatorOf(id);
        bytes32 prevRoot = hostile == 1 ? keccak256(abi.encode(newRoot)) : latestRoot(id);
        _submit(id, ack, prevRoot, newRoot, caller);
    }

    /// @notice Moves 0 to 2 blocks forward, then submits a well-formed update of a random Active chain
    ///         that acknowledges the current block: the move that finalizes most.
    function submitUpdateAckNow(uint256 chainSeed, bytes32 newRoot) external action {
        if (_ids.length == 0) return;
        ghostBlock += _rand(chainSeed, 4) % 3;
        vm.roll(ghostBlock);
        uint64 id = _pickChain(chainSeed, true);
        _submit(id, uint64(block.number), latestRoot(id), newRoot, operatorOf(id));
    }

    /// @notice Changes a random chain's status: usually a valid move (Active → Frozen, Frozen → Active,
    ///         and → Ejected 1 time in 16), sometimes (1 in 16) a random target (None, the same status,
    ///         out of Ejected), or (1 in 64) an unknown chain.
    function setChainStatus(uint256 chainSeed, uint256 statusSeed) external action {
        if (_ids.length == 0) return;
        uint256 r = _rand(statusSeed, 5);
        uint64 id = r % 64 == 63 ? uint64(_rand(chainSeed, 6)) : _ids[chainSeed % _ids.length];
        uint256 k = (r >> 8) % 16;
        uint8 to;
        if (k == 0) {
            to = uint8(statusSeed % 4);
        } else if (k == 1) {
            to = _EJECTED;
        } else {
            to = ghostStatus[id] == _ACTIVE ? _FROZEN : _ACTIVE;
        }

        bytes memory expected;
        uint8 from = ghostStatus[id];
        if (!ghostKnown[id]) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, id);
        } else if (from == _EJECTED || to == _NONE || to == from) {
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
            ++statusChanged;
        } catch (bytes memory err) {
            _checkRejection("setChainStatus", err, expected);
        }
    }

    /// @notice Moves the chain 1 to 8 blocks forward.
    function rollBlocks(uint256 by) external action {
        ghostBlock += 1 + (by % 8);
        vm.roll(ghostBlock);
    }

    /*//////////////////////////////////////////////////////////////
                              GHOST VIEWS
    //////////////////////////////////////////////////////////////*/

    function chainIds() external view returns (uint64[] memory) {
        return _ids;
    }

    function commitmentBlocks(uint64 id) external view returns (uint64[] memory) {
        return _blocks[id];
    }

    function commitmentRoots(uint64 id) external view returns (bytes32[] memory) {
        return _roots[id];
    }

    function latestRoot(uint64 id) public view returns (bytes32) {
        bytes32[] storage roots = _roots[id];
        return roots[roots.length - 1];
    }

    function operatorOf(uint64 id) public pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("operator", id)))) | 1);
    }

    /// @notice Whether `w` is `u` or a descendant of `u`, from the ghost parents.
    function inSubtree(uint64 w, uint64 u) public view returns (bool) {
        for (uint64 x = w; x != 0; x = ghostParent[x]) {
            if (x == u) return true;
        }
        return false;
    }

    /// @notice The latest acks of the Active chains in subtree(u), u included: its length is b(u), and
    ///         a(c) for a commitment of u at block t is the number of entries > t.
    function activeAcksInSubtree(uint64 u) public view returns (uint64[] memory acks) {
        uint256 n = _ids.length;
        uint256 count;
        for (uint256 i; i < n; ++i) {
            uint64 w = _ids[i];
            if (ghostStatus[w] == _ACTIVE && inSubtree(w, u)) ++count;
        }
        acks = new uint64[](count);
        count = 0;
        for (uint256 i; i < n; ++i) {
            uint64 w = _ids[i];
            if (ghostStatus[w] == _ACTIVE && inSubtree(w, u)) acks[count++] = ghostAck[w];
        }
    }

    /// @notice Number of entries of `acks` greater than `blockNumber`.
    function countAbove(uint64[] memory acks, uint256 blockNumber) public pure returns (uint256 a) {
        for (uint256 i; i < acks.length; ++i) {
            if (acks[i] > blockNumber) ++a;
        }
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Registers `id` under `parent` with the predicted outcome, and records it in the ghost.
    function _register(uint64 id, uint64 parent) internal {
        bytes memory expected = _expectedRegisterError(id, parent);
        bytes32 genesis = keccak256(abi.encode("genesis", id, block.number));
        try registry.registerChain(ChainId.wrap(id), ChainId.wrap(parent), operatorOf(id), verifier, genesis) {
            if (expected.length != 0) return _unexpected("registerChain accepted", expected);
            _ids.push(id);
            ghostKnown[id] = true;
            ghostParent[id] = parent;
            ghostStatus[id] = _ACTIVE;
            if (parent == 0) {
                ghostDepth[id] = 1;
                ++ghostRootChildCount;
            } else {
                ghostDepth[id] = ghostDepth[parent] + 1;
                ++ghostChildCount[parent];
            }
            _blocks[id].push(uint64(block.number));
            _roots[id].push(genesis);
            ++registered;
        } catch (bytes memory err) {
            _checkRejection("registerChain", err, expected);
        }
    }

    function _rand(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /// @dev `_ids[seed % n]`, or with `preferActive` the first Active chain from there on (if any).
    function _pickChain(uint256 seed, bool preferActive) internal view returns (uint64) {
        uint256 n = _ids.length;
        uint256 start = seed % n;
        if (preferActive) {
            for (uint256 k; k < n; ++k) {
                uint64 id = _ids[(start + k) % n];
                if (ghostStatus[id] == _ACTIVE) return id;
            }
        }
        return _ids[start];
    }

    /// @dev The first chain at or before index `from` (wrapping around) that can take a child, else 0.
    function _eligibleParent(uint256 from) internal view returns (uint64) {
        uint256 n = _ids.length;
        for (uint256 k; k < n; ++k) {
            uint64 id = _ids[(from + n - k) % n];
            if (ghostStatus[id] == _ACTIVE && ghostDepth[id] < MAX_DEPTH && ghostChildCount[id] < MAX_FAN_OUT) {
                return id;
            }
        }
        return 0;
    }

    function _submit(uint64 id, uint64 ack, bytes32 prevRoot, bytes32 newRoot, address caller) internal {
        bytes memory expected = _expectedSubmitError(id, ack, prevRoot, caller);
        UpdatePublicData memory d;
        d.chainId = ChainId.wrap(id);
        d.ackBlock = ack;
        d.l2Block = uint64(_blocks[id].length);
        d.prevRoot = prevRoot;
        d.newRoot = newRoot;
        vm.prank(caller);
        try registry.submitUpdate(d, "") returns (uint32 index) {
            if (expected.length != 0) return _unexpected("submitUpdate accepted", expected);
            if (index != _blocks[id].length) return _unexpected("submitUpdate index", abi.encode(index));
            ghostAck[id] = ack;
            _blocks[id].push(uint64(block.number));
            _roots[id].push(newRoot);
            ++updated;
        } catch (bytes memory err) {
            _checkRejection("submitUpdate", err, expected);
        }
    }

    function _expectedRegisterError(uint64 id, uint64 parent) internal view returns (bytes memory) {
        if (id == 0) return abi.encodeWithSelector(IValidiumRegistry.RegistryReservedChainId.selector);
        if (ghostKnown[id]) return abi.encodeWithSelector(IValidiumRegistry.RegistryChainExists.selector, id);
        if (parent == 0) {
            if (ghostRootChildCount >= MAX_FAN_OUT) {
                return abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, 0, MAX_FAN_OUT);
            }
            return "";
        }
        if (!ghostKnown[parent]) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, parent);
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

    function _expectedSubmitError(
        uint64 id,
        uint64 ack,
        bytes32 prevRoot,
        address caller
    ) internal view returns (bytes memory) {
        if (caller != operatorOf(id)) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryNotOperator.selector, id, caller);
        }
        if (ghostStatus[id] != _ACTIVE) {
            return
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryChainNotActive.selector,
                    id,
                    IValidiumRegistry.ChainStatus(ghostStatus[id])
                );
        }
        if (ack > block.number) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryAckInFuture.selector, ack, block.number);
        }
        uint64 prev = ghostAck[id];
        if (ack < prev) return abi.encodeWithSelector(IValidiumRegistry.RegistryAckDecreasing.selector, ack, prev);
        bytes32 latest = latestRoot(id);
        if (prevRoot != latest) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryNotOnLatest.selector, id, latest, prevRoot);
        }
        // The ack is applied (and may finalize) before the pending window is checked.
        uint256 pending = _blocks[id].length - 1 - _finalizedAfterOwnAck(id, ack);
        if (pending >= MAX_PENDING) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryTooManyPending.selector, id, uint32(pending));
        }
        return "";
    }

    /// @dev The model's finalized index of `id` once its own ack moves to `ack`.
    function _finalizedAfterOwnAck(uint64 id, uint64 ack) internal view returns (uint256) {
        uint64 old = ghostAck[id];
        uint64[] memory acks = activeAcksInSubtree(id);
        // `id` is Active here, so its own ack is in the list: replace one occurrence of the old value.
        for (uint256 i; i < acks.length; ++i) {
            if (acks[i] == old) {
                acks[i] = ack;
                break;
            }
        }
        uint256 fin = ghostNewestMajority[id];
        uint64[] storage blocks = _blocks[id];
        for (uint256 j = blocks.length - 1; j > fin; --j) {
            if (2 * countAbove(acks, blocks[j]) > acks.length) return j;
        }
        return fin;
    }

    /// @dev After every action: records the registry's finalized indices (counting any decrease) and
    ///      advances the model's finalized index to the newest commitment with a brute-force majority.
    function _afterAction() internal {
        uint256 n = _ids.length;
        for (uint256 i; i < n; ++i) {
            uint64 u = _ids[i];
            uint32 fin = registry.chain(ChainId.wrap(u)).finalizedIndex;
            if (fin < ghostMaxFinalizedSeen[u]) {
                ++finalizedDecreases;
            } else {
                ghostMaxFinalizedSeen[u] = fin;
            }
            uint256 modelFin = ghostNewestMajority[u];
            uint64[] storage blocks = _blocks[u];
            if (blocks.length - 1 == modelFin) continue;
            uint64[] memory acks = activeAcksInSubtree(u);
            for (uint256 j = blocks.length - 1; j > modelFin; --j) {
                if (2 * countAbove(acks, blocks[j]) > acks.length) {
                    ghostNewestMajority[u] = uint32(j);
                    ++finalizations;
                    break;
                }
            }
        }
    }
}
