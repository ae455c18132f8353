// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {ClusterConfig} from "../../contracts/governance/ClusterConfig.sol";
import {IClusterConfig} from "../../contracts/interfaces/IClusterConfig.sol";
import {ILedgerSignatureVerifier} from "../../contracts/interfaces/ILedgerSignatureVerifier.sol";
import {IPoseidon2} from "../../contracts/interfaces/IPoseidon2.sol";
import {IPoseidon3} from "../../contracts/interfaces/IPoseidon3.sol";
import {IPoseidon4} from "../../contracts/interfaces/IPoseidon4.sol";
import {IRequestQueue} from "../../contracts/interfaces/IRequestQueue.sol";
import {IValidiumRegistry} from "../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../contracts/registry/ValidiumRegistry.sol";
import {RequestQueue} from "../../contracts/settlement/RequestQueue.sol";
import {BabyJubJub} from "../../contracts/libraries/BabyJubJub.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";
import {LedgerSignatureVerifier} from "../../contracts/verifiers/LedgerSignatureVerifier.sol";

import {ConfigDefaults} from "./utils/ConfigDefaults.sol";
import {FeeOnTransferERC20, MockERC20} from "./utils/MockERC20.sol";
import {MockPoseidon4} from "./utils/MockPoseidon4.sol";
import {KeccakPoseidon2, KeccakPoseidon3, KeccakPoseidon5} from "./utils/MockPoseidons.sol";
import {Test} from "./utils/Test.sol";
import {AcceptingVerifier} from "./utils/Verifiers.sol";

/// @notice Unit and fuzz tests of RequestQueue with a real ValidiumRegistry and a MOCK Poseidon
///         (MockPoseidon4: keccak mod r; the real circomlibjs Poseidon is checked in
///         test/settlement/RequestQueue.test.ts). Every deposit is compared with a reference model written
///         here (item encoding of docs/LEDGER.md §4, check order: chain, amount, key hash, refund): the same
///         revert data, or the same event, position, rolling hash and escrow. Rejections change nothing.
/// @dev Set up: cluster configuration with this contract as governance and guardian (pause: 90 days);
///      registry with this contract as admin, registrar and status role; top-level chains A(1), B(2),
///      C(3) and MAX(2^64 - 1), all with an accepting verifier; this contract holds 2^200 wei.
contract RequestQueueTest is Test {
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant TWO_128 = 1 << 128;

    ChainId internal constant ROOT = ChainId.wrap(0);
    ChainId internal constant A = ChainId.wrap(1);
    ChainId internal constant B = ChainId.wrap(2);
    ChainId internal constant C = ChainId.wrap(3);
    ChainId internal constant MAX = ChainId.wrap(type(uint64).max);
    ChainId internal constant UNKNOWN = ChainId.wrap(99);

    address internal constant REFUND = address(0xF00D);
    uint256 internal constant KEY = 0x1234;

    /// @dev Bounds of the sequence fuzz.
    uint256 internal constant MAX_STEPS = 24;
    uint256 internal constant N_CHAINS = 3;

    ClusterConfig internal config;
    ValidiumRegistry internal registry;
    AcceptingVerifier internal verifier;
    MockPoseidon4 internal poseidon;
    RequestQueue internal rq;

    function setUp() public {
        config = ConfigDefaults.deploy(address(this), 16, 8, 0);
        registry = new ValidiumRegistry(address(this), config);
        verifier = new AcceptingVerifier();
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        _register(A);
        _register(B);
        _register(C);
        _register(MAX);
        poseidon = new MockPoseidon4();
        rq = new RequestQueue(
            registry,
            poseidon,
            new KeccakPoseidon2(),
            new KeccakPoseidon3(),
            _sigVerifier(poseidon),
            address(this)
        );
        vm.deal(address(this), 1 << 200);
    }

    // ---------------------------------------------------------------- helpers

    function _register(ChainId id) internal {
        registry.registerChain(
            id,
            ROOT,
            address(uint160(0x1000) + uint160(ChainId.unwrap(id))),
            address(verifier),
            keccak256(abi.encode("genesis", id))
        );
    }

    function _sigVerifier(MockPoseidon4 p4) internal returns (ILedgerSignatureVerifier) {
        return new LedgerSignatureVerifier(new KeccakPoseidon2(), IPoseidon4(address(p4)), new KeccakPoseidon5());
    }

    function _known(uint256 k) internal pure returns (ChainId) {
        return [A, B, C][k % N_CHAINS];
    }

    /// @dev `w0` of an ETH deposit (docs/LEDGER.md §4), written independently of the contract.
    function _w0(uint32 accountIndex, uint256 amount) internal pure returns (uint256) {
        return 1 + 0 * 2 ** 8 + uint256(accountIndex) * 2 ** 40 + amount * 2 ** 72;
    }

    function _h(bytes32 prev, uint256 w0, uint256 w1, uint256 w2) internal view returns (bytes32) {
        return bytes32(poseidon.hash([uint256(prev), w0, w1, w2]));
    }

    /// @dev The model's revert data for `depositEth(chain, ·, keyHash, refund)` with `amount`; empty if it
    ///      must succeed.
    function _expectedRevert(
        ChainId chain,
        uint256 amount,
        uint256 keyHash,
        address refund
    ) internal view returns (bytes memory) {
        IValidiumRegistry.ChainStatus status = registry.chainStatus(chain);
        if (status != IValidiumRegistry.ChainStatus.Active) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueChainNotActive.selector, chain, status);
        }
        if (amount == 0 || amount >= TWO_128) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, amount);
        }
        if (keyHash == 0 || keyHash >= R) {
            return abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, keyHash);
        }
        if (refund == address(0)) return abi.encodeWithSelector(IRequestQueue.RequestQueueZeroRefund.selector);
        return "";
    }

    /// @dev Calls depositEth as `sender` (funded with `amount`); returns (reverted, position, revert data).
    function _tryDeposit(
        address sender,
        ChainId chain,
        uint32 accountIndex,
        uint256 keyHash,
        address refund,
        uint256 amount
    ) internal returns (bool reverted, uint64 position, bytes memory err) {
        vm.deal(sender, amount);
        vm.prank(sender);
        try rq.depositEth{value: amount}(chain, accountIndex, keyHash, refund) returns (uint64 p) {
            position = p;
        } catch (bytes memory e) {
            reverted = true;
            err = e;
        }
    }

    /// @dev A valid deposit into `chain`, checked against the model (event, position, hash, escrow).
    function _deposit(ChainId chain, uint32 accountIndex, uint256 keyHash, address refund, uint256 amount) internal {
        uint64 len = rq.length(chain);
        bytes32 prev = rq.hashAt(chain, len);
        uint256 w0 = _w0(accountIndex, amount);
        bytes32 next = _h(prev, w0, keyHash, uint256(uint160(refund)));
        uint256 escrowedBefore = rq.escrowed(chain, 0);
        uint256 balanceBefore = address(rq).balance;

        vm.expectEmit(address(rq));
        emit IRequestQueue.RequestQueued(chain, len + 1, w0, keyHash, uint256(uint160(refund)), next);
        uint64 position = rq.depositEth{value: amount}(chain, accountIndex, keyHash, refund);

        assertEq(position, len + 1, "returned position");
        assertEq(rq.length(chain), len + 1, "length");
        assertEq(rq.hashAt(chain, len + 1), next, "rolling hash");
        assertEq(rq.hashAt(chain, len), prev, "previous hash unchanged");
        assertEq(rq.escrowed(chain, 0), escrowedBefore + amount, "escrowed");
        assertEq(address(rq).balance, balanceBefore + amount, "balance");
        assertTrue(rq.isQueuePoint(chain, len + 1, next), "new queue point");
    }

    /// @dev A hash of everything the queue exposes for the registered chains and UNKNOWN: lengths, every
    ///      rolling hash, escrow, and the contract's balance. Equal fingerprints mean a call changed nothing.
    function _fingerprint() internal view returns (bytes32 h) {
        ChainId[5] memory chains = [A, B, C, MAX, UNKNOWN];
        h = keccak256(abi.encode(address(rq).balance));
        for (uint256 i; i < chains.length; ++i) {
            uint64 len = rq.length(chains[i]);
            h = keccak256(abi.encode(h, chains[i], len, rq.escrowed(chains[i], 0)));
            for (uint64 n; n <= len; ++n) h = keccak256(abi.encode(h, rq.hashAt(chains[i], n)));
        }
    }

    function _expectBeyondEnd(ChainId chain, uint64 position, uint64 len) internal view {
        try rq.hashAt(chain, position) returns (bytes32) {
            assertTrue(false, "hashAt beyond the end should revert");
        } catch (bytes memory err) {
            assertEq(
                err,
                abi.encodeWithSelector(IRequestQueue.RequestQueuePositionBeyondEnd.selector, chain, position, len),
                "PositionBeyondEnd(chain, position, length)"
            );
        }
    }

    // ---------------------------------------------------------------- constructor and initial state

    function test_constructor_storesRegistryAndPoseidon() public view {
        assertEq(rq.registry(), address(registry), "registry");
        assertEq(rq.poseidon(), address(poseidon), "poseidon");
    }

    function test_initialState_emptyQueues() public view {
        ChainId[5] memory chains = [A, B, C, MAX, UNKNOWN];
        for (uint256 i; i < chains.length; ++i) {
            assertEq(rq.length(chains[i]), 0, "length");
            assertEq(rq.hashAt(chains[i], 0), bytes32(0), "h_0 = 0");
            assertEq(rq.escrowed(chains[i], 0), 0, "escrowed");
            assertTrue(rq.isQueuePoint(chains[i], 0, bytes32(0)), "(0, 0) is a point of every queue");
            assertFalse(rq.isQueuePoint(chains[i], 1, bytes32(0)), "(1, 0) is not");
            _expectBeyondEnd(chains[i], 1, 0);
        }
        assertEq(address(rq).balance, 0, "balance");
    }

    // ---------------------------------------------------------------- depositEth: unit

    function test_depositEth_firstDeposit() public {
        uint256 w0 = _w0(5, 1 ether);
        bytes32 h1 = _h(bytes32(0), w0, KEY, uint256(uint160(REFUND)));
        vm.expectEmit(address(rq));
        emit IRequestQueue.RequestQueued(A, 1, w0, KEY, uint256(uint160(REFUND)), h1);
        uint64 position = rq.depositEth{value: 1 ether}(A, 5, KEY, REFUND);
        assertEq(position, 1, "position");
        assertEq(rq.length(A), 1, "length");
        assertEq(rq.hashAt(A, 0), bytes32(0), "h_0");
        assertEq(rq.hashAt(A, 1), h1, "h_1");
        assertEq(rq.escrowed(A, 0), 1 ether, "escrowed");
        assertEq(address(rq).balance, 1 ether, "balance");
        assertTrue(rq.isQueuePoint(A, 1, h1), "(1, h_1)");
        assertTrue(rq.isQueuePoint(A, 0, bytes32(0)), "(0, 0) still a point");
        assertFalse(rq.isQueuePoint(B, 1, h1), "not a point of B");
    }

    function test_depositEth_rollingHashChains() public {
        _deposit(A, 0, KEY, REFUND, 1);
        _deposit(A, 1, KEY + 1, address(this), 2);
        _deposit(A, 0, KEY, REFUND, 1); // the same item again: a new position, a new hash
        bytes32 h1 = _h(bytes32(0), _w0(0, 1), KEY, uint256(uint160(REFUND)));
        bytes32 h2 = _h(h1, _w0(1, 2), KEY + 1, uint256(uint160(address(this))));
        bytes32 h3 = _h(h2, _w0(0, 1), KEY, uint256(uint160(REFUND)));
        assertEq(rq.hashAt(A, 1), h1, "h_1");
        assertEq(rq.hashAt(A, 2), h2, "h_2");
        assertEq(rq.hashAt(A, 3), h3, "h_3");
        assertTrue(h3 != h1, "repeated item, different hash");
        assertEq(rq.escrowed(A, 0), 4, "escrowed");
    }

    function test_depositEth_chainsAreIndependent() public {
        _deposit(A, 1, KEY, REFUND, 10);
        _deposit(B, 1, KEY, REFUND, 10);
        _deposit(A, 2, KEY, REFUND, 20);
        // The same first item gives the same h_1 on A and B: queues share no state.
        assertEq(rq.hashAt(A, 1), rq.hashAt(B, 1), "same first item, same h_1");
        assertEq(rq.length(A), 2, "A length");
        assertEq(rq.length(B), 1, "B length");
        assertEq(rq.length(C), 0, "C length");
        assertEq(rq.escrowed(A, 0), 30, "A escrowed");
        assertEq(rq.escrowed(B, 0), 10, "B escrowed");
        assertEq(address(rq).balance, 40, "balance = sum of escrows");
        _expectBeyondEnd(B, 2, 1);
    }

    function test_depositEth_acceptsBoundaryValues() public {
        _deposit(A, type(uint32).max, 1, address(1), 1);
        _deposit(A, 0, R - 1, address(type(uint160).max), TWO_128 - 1);
        _deposit(MAX, type(uint32).max, R - 1, address(type(uint160).max), TWO_128 - 1);
        // w0 < 2^200 at its largest.
        assertLt(_w0(type(uint32).max, TWO_128 - 1), 1 << 200, "w0 < 2^200");
    }

    function test_depositEth_anySenderAndAnyRefund() public {
        address sender = address(0xBEEF);
        vm.deal(sender, 5);
        vm.prank(sender);
        rq.depositEth{value: 5}(C, 9, KEY, address(rq)); // refund to the queue itself: accepted (it is non-zero)
        assertEq(rq.escrowed(C, 0), 5, "escrowed");
        assertEq(sender.balance, 0, "sender paid");
    }

    function test_depositEth_revertsOnFrozenAndEjectedChains() public {
        _deposit(A, 0, KEY, REFUND, 1);
        bytes32 before = _fingerprint();
        registry.setChainStatus(A, IValidiumRegistry.ChainStatus.Frozen);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                A,
                IValidiumRegistry.ChainStatus.Frozen
            )
        );
        rq.depositEth{value: 1}(A, 0, KEY, REFUND);
        registry.setChainStatus(B, IValidiumRegistry.ChainStatus.Ejected);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                B,
                IValidiumRegistry.ChainStatus.Ejected
            )
        );
        rq.depositEth{value: 1}(B, 0, KEY, REFUND);
        assertEq(_fingerprint(), before, "no state change");
        // Unfrozen, A accepts deposits again.
        registry.setChainStatus(A, IValidiumRegistry.ChainStatus.Active);
        _deposit(A, 0, KEY, REFUND, 1);
    }

    function test_constructor_revertsOnZeroAddress() public {
        ILedgerSignatureVerifier sv = _sigVerifier(poseidon);
        vm.expectRevert(IRequestQueue.RequestQueueZeroAddress.selector);
        IPoseidon2 p2 = IPoseidon2(address(2));
        IPoseidon3 p3 = IPoseidon3(address(3));
        new RequestQueue(IValidiumRegistry(address(0)), IPoseidon4(address(1)), p2, p3, sv, address(this));
        vm.expectRevert(IRequestQueue.RequestQueueZeroAddress.selector);
        new RequestQueue(registry, IPoseidon4(address(0)), p2, p3, sv, address(this));
        vm.expectRevert(IRequestQueue.RequestQueueZeroAddress.selector);
        new RequestQueue(registry, poseidon, IPoseidon2(address(0)), p3, sv, address(this));
        vm.expectRevert(IRequestQueue.RequestQueueZeroAddress.selector);
        new RequestQueue(registry, poseidon, p2, IPoseidon3(address(0)), sv, address(this));
        vm.expectRevert(IRequestQueue.RequestQueueZeroAddress.selector);
        new RequestQueue(registry, poseidon, p2, p3, ILedgerSignatureVerifier(address(0)), address(this));
        vm.expectRevert(IRequestQueue.RequestQueueZeroAddress.selector);
        new RequestQueue(registry, poseidon, p2, p3, sv, address(0));
    }

    function test_depositEth_revertsOnUnknownChain() public {
        _deposit(A, 0, KEY, REFUND, 1);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                UNKNOWN,
                IValidiumRegistry.ChainStatus.None
            )
        );
        rq.depositEth{value: 1}(UNKNOWN, 0, KEY, REFUND);
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_depositEth_revertsOnSettlementRoot() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                ROOT,
                IValidiumRegistry.ChainStatus.None
            )
        );
        rq.depositEth{value: 1}(ROOT, 0, KEY, REFUND);
        assertEq(_fingerprint(), before, "no state change");
        assertEq(rq.length(ROOT), 0, "root queue empty");
    }

    function test_depositEth_revertsOnZeroAmount() public {
        _deposit(A, 0, KEY, REFUND, 1);
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, 0));
        rq.depositEth(A, 0, KEY, REFUND);
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_depositEth_revertsOnAmountOf2To128() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, TWO_128));
        rq.depositEth{value: TWO_128}(A, 0, KEY, REFUND);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, TWO_128 + 1));
        rq.depositEth{value: TWO_128 + 1}(A, 0, KEY, REFUND);
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_depositEth_revertsOnZeroKeyHash() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, 0));
        rq.depositEth{value: 1}(A, 0, 0, REFUND);
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_depositEth_revertsOnKeyHashNotInField() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, R));
        rq.depositEth{value: 1}(A, 0, R, REFUND);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, type(uint256).max));
        rq.depositEth{value: 1}(A, 0, type(uint256).max, REFUND);
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_depositEth_revertsOnZeroRefund() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(IRequestQueue.RequestQueueZeroRefund.selector);
        rq.depositEth{value: 1}(A, 0, KEY, address(0));
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_depositEth_checksInOrder() public {
        // Everything wrong: the chain is reported first, then the amount, then the key hash, then the refund.
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                UNKNOWN,
                IValidiumRegistry.ChainStatus.None
            )
        );
        rq.depositEth(UNKNOWN, 0, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, 0));
        rq.depositEth(A, 0, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, 0));
        rq.depositEth{value: 1}(A, 0, 0, address(0));
    }

    // ---------------------------------------------------------------- depositEth: guardian pause

    function test_depositEth_revertsWhilePaused() public {
        _deposit(A, 0, KEY, REFUND, 1);
        config.pause();
        uint64 until = config.pausedUntil();
        assertEq(until, block.timestamp + 90 days, "pausedUntil");
        bytes32 before = _fingerprint();
        bytes memory paused = abi.encodeWithSelector(IClusterConfig.ConfigPaused.selector, until);
        vm.expectRevert(paused);
        rq.depositEth{value: 1}(A, 0, KEY, REFUND);
        // The pause is checked first: even a deposit the queue would reject reports it.
        vm.expectRevert(paused);
        rq.depositEth(UNKNOWN, 0, 0, address(0));
        (bool reverted, , bytes memory err) = _tryDeposit(address(0xBEEF), B, 7, KEY, REFUND, 5);
        assertTrue(reverted, "any sender is stopped");
        assertEq(err, paused, "ConfigPaused(pausedUntil)");
        vm.warp(until - 1);
        vm.expectRevert(paused);
        rq.depositEth{value: 1}(A, 0, KEY, REFUND);
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_depositEth_worksAfterPauseExpires() public {
        config.pause();
        uint64 until = config.pausedUntil();
        vm.warp(until);
        assertFalse(config.paused(), "expired");
        _deposit(A, 0, KEY, REFUND, 1);
        _deposit(B, 3, KEY, REFUND, 2);
        assertEq(address(rq).balance, 3, "balance");
    }

    function test_depositEth_worksAfterUnpause() public {
        address guardian = address(0x6A4D);
        config.setGuardian(guardian);
        vm.prank(guardian);
        config.pause();
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigPaused.selector, config.pausedUntil()));
        rq.depositEth{value: 1}(A, 0, KEY, REFUND);
        vm.warp(block.timestamp + 1 days);
        vm.prank(guardian);
        config.unpause();
        assertFalse(config.paused(), "unpaused");
        _deposit(A, 0, KEY, REFUND, 1);
        assertEq(rq.length(A), 1, "length");
    }

    function test_depositEth_rejectsPlainTransfers() public {
        (bool success, ) = address(rq).call{value: 1}("");
        assertFalse(success, "no receive or fallback");
        (success, ) = address(rq).call{value: 1}(hex"12345678");
        assertFalse(success, "unknown selector");
        assertEq(address(rq).balance, 0, "balance");
    }

    // ---------------------------------------------------------------- views: unit

    function test_hashAt_revertsBeyondEnd() public {
        _deposit(A, 0, KEY, REFUND, 1);
        _deposit(A, 0, KEY, REFUND, 1);
        _expectBeyondEnd(A, 3, 2);
        _expectBeyondEnd(A, type(uint64).max, 2);
        _expectBeyondEnd(UNKNOWN, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueuePositionBeyondEnd.selector, A, 3, 2));
        rq.hashAt(A, 3);
    }

    function test_isQueuePoint_exactlyAtQueuePoints() public {
        _deposit(A, 0, KEY, REFUND, 1);
        _deposit(A, 1, KEY, REFUND, 2);
        bytes32 h1 = rq.hashAt(A, 1);
        bytes32 h2 = rq.hashAt(A, 2);
        assertTrue(rq.isQueuePoint(A, 0, bytes32(0)), "(0, 0)");
        assertTrue(rq.isQueuePoint(A, 1, h1), "(1, h_1)");
        assertTrue(rq.isQueuePoint(A, 2, h2), "(2, h_2)");
        assertFalse(rq.isQueuePoint(A, 0, h1), "(0, h_1)");
        assertFalse(rq.isQueuePoint(A, 1, h2), "(1, h_2)");
        assertFalse(rq.isQueuePoint(A, 2, h1), "(2, h_1)");
        assertFalse(rq.isQueuePoint(A, 1, bytes32(0)), "(1, 0)");
        assertFalse(rq.isQueuePoint(A, 3, bytes32(0)), "beyond the end with hash 0");
        assertFalse(rq.isQueuePoint(A, type(uint64).max, bytes32(0)), "far beyond the end with hash 0");
        assertFalse(rq.isQueuePoint(A, 3, h2), "beyond the end with the last hash");
        assertFalse(rq.isQueuePoint(B, 1, h1), "another chain");
        assertFalse(rq.isQueuePoint(A, 1, bytes32(uint256(h1) ^ 1)), "a hash one bit off");
    }

    function test_areQueuePoints_andOfIsQueuePoint() public {
        _deposit(A, 0, KEY, REFUND, 1);
        _deposit(A, 1, KEY, REFUND, 2);
        _deposit(B, 0, KEY, REFUND, 3);
        bytes32 a1 = rq.hashAt(A, 1);
        bytes32 a2 = rq.hashAt(A, 2);
        bytes32 b1 = rq.hashAt(B, 1);
        // Points, then non-points: position 0 with a non-zero hash, beyond the end (hash 0 and the last hash),
        // far beyond the end, another chain's hash, an unknown chain.
        ChainId[11] memory c = [A, A, A, B, UNKNOWN, A, A, A, A, B, UNKNOWN];
        uint64[11] memory p = [uint64(0), 1, 2, 1, 0, 0, 3, 3, type(uint64).max, 1, 1];
        bytes32[11] memory h = [bytes32(0), a1, a2, b1, bytes32(0), a1, bytes32(0), a2, bytes32(0), a1, bytes32(0)];
        for (uint256 i; i < 11; ++i) {
            bool single = rq.isQueuePoint(c[i], p[i], h[i]);
            assertEq(single, i < 5, "isQueuePoint of the table");
            assertEq(_areQueuePoints1(c[i], p[i], h[i]), single, "one entry");
        }
        // Every pair, both orders: the AND.
        for (uint256 i; i < 11; ++i) {
            for (uint256 j; j < 11; ++j) {
                ChainId[] memory cs = new ChainId[](2);
                uint64[] memory ps = new uint64[](2);
                bytes32[] memory hs = new bytes32[](2);
                (cs[0], ps[0], hs[0]) = (c[i], p[i], h[i]);
                (cs[1], ps[1], hs[1]) = (c[j], p[j], h[j]);
                assertEq(rq.areQueuePoints(cs, ps, hs), i < 5 && j < 5, "pair");
            }
        }
        // All points at once (chains interleaved), then with one non-point anywhere.
        for (uint256 bad = 5; bad <= 11; ++bad) {
            ChainId[] memory cs = new ChainId[](6);
            uint64[] memory ps = new uint64[](6);
            bytes32[] memory hs = new bytes32[](6);
            for (uint256 k; k < 5; ++k) (cs[k], ps[k], hs[k]) = (c[k], p[k], h[k]);
            uint256 last = bad == 11 ? 0 : bad;
            (cs[5], ps[5], hs[5]) = (c[last], p[last], h[last]);
            assertEq(rq.areQueuePoints(cs, ps, hs), bad == 11, "all points but the last entry");
        }
        assertTrue(rq.areQueuePoints(new ChainId[](0), new uint64[](0), new bytes32[](0)), "empty");
    }

    function test_areQueuePoints_revertsOnLengthMismatch() public {
        uint256[3][5] memory lens = [
            [uint256(1), 0, 0],
            [uint256(0), 1, 0],
            [uint256(0), 0, 1],
            [uint256(2), 2, 1],
            [uint256(3), 1, 2]
        ];
        for (uint256 k; k < lens.length; ++k) {
            ChainId[] memory cs = new ChainId[](lens[k][0]);
            uint64[] memory ps = new uint64[](lens[k][1]);
            bytes32[] memory hs = new bytes32[](lens[k][2]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IRequestQueue.RequestQueueLengthMismatch.selector,
                    lens[k][0],
                    lens[k][1],
                    lens[k][2]
                )
            );
            rq.areQueuePoints(cs, ps, hs);
        }
    }

    function test_areQueuePoints_revertsOnDirtyUint64() public {
        // Hand-made calldata with a chain id or position above 2^64 - 1 (no ABI encoder makes it) reverts
        // without data, as the compiler's own reads do (isQueuePoint's decoder).
        _deposit(A, 0, KEY, REFUND, 1);
        bytes32 a1 = rq.hashAt(A, 1);
        for (uint256 word; word < 2; ++word) {
            uint256[2] memory v = [uint256(ChainId.unwrap(A)), 1];
            v[word] |= 1 << 64;
            bytes memory data = abi.encodeWithSelector(
                IRequestQueue.areQueuePoints.selector,
                uint256(0x60),
                uint256(0xa0),
                uint256(0xe0),
                uint256(1),
                v[0],
                uint256(1),
                v[1],
                uint256(1),
                a1
            );
            (bool ok, bytes memory ret) = address(rq).staticcall(data);
            assertFalse(ok, "dirty uint64 accepted");
            assertEq(ret.length, 0, "revert without data");
            bytes memory single = abi.encodeWithSelector(IRequestQueue.isQueuePoint.selector, v[0], v[1], a1);
            (ok, ret) = address(rq).staticcall(single);
            assertFalse(ok, "isQueuePoint: dirty uint64 accepted");
            assertEq(ret.length, 0, "isQueuePoint: revert without data");
        }
        // The same calldata with clean words is a point.
        bytes memory clean = abi.encodeWithSelector(
            IRequestQueue.areQueuePoints.selector,
            uint256(0x60),
            uint256(0xa0),
            uint256(0xe0),
            uint256(1),
            uint256(ChainId.unwrap(A)),
            uint256(1),
            uint256(1),
            uint256(1),
            a1
        );
        (bool okClean, bytes memory retClean) = address(rq).staticcall(clean);
        assertTrue(okClean && abi.decode(retClean, (bool)), "clean calldata");
    }

    function _areQueuePoints1(ChainId c, uint64 p, bytes32 h) internal view returns (bool) {
        ChainId[] memory cs = new ChainId[](1);
        uint64[] memory ps = new uint64[](1);
        bytes32[] memory hs = new bytes32[](1);
        (cs[0], ps[0], hs[0]) = (c, p, h);
        return rq.areQueuePoints(cs, ps, hs);
    }

    // ---------------------------------------------------------------- fuzz

    /// @dev Hostile inputs for every argument; `valid` picks which are made acceptable so that every branch
    ///      is reached. The outcome must be the model's: exact revert data and no state change, or the event,
    ///      position, hash and escrow of `_deposit`.
    function testFuzz_depositEth_hostileInputsMatchModel(
        uint64 rawChain,
        uint8 valid,
        uint32 accountIndex,
        uint256 amount,
        uint256 keyHash,
        address refund,
        address sender
    ) public {
        vm.assume(sender != address(rq) && sender.code.length == 0 && uint160(sender) > 0xff);
        vm.assume(sender != address(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D));
        _deposit(B, 1, KEY, REFUND, 3); // a non-empty queue besides
        if (amount > 1 << 255) amount >>= 1; // the queue's balance must not overflow (that fails the call)
        ChainId chain = valid & 1 != 0 ? _known(rawChain) : ChainId.wrap(rawChain);
        if (valid & 2 != 0) amount = bound(amount, 1, TWO_128 - 1);
        if (valid & 4 != 0) keyHash = bound(keyHash, 1, R - 1);
        if (valid & 8 != 0 && refund == address(0)) refund = address(1);

        bytes memory expected = _expectedRevert(chain, amount, keyHash, refund);
        if (expected.length != 0) {
            bytes32 before = _fingerprint();
            (bool reverted, , bytes memory err) = _tryDeposit(sender, chain, accountIndex, keyHash, refund, amount);
            assertTrue(reverted, "must revert");
            assertEq(err, expected, "revert data");
            assertEq(_fingerprint(), before, "no state change");
        } else {
            vm.deal(address(this), amount);
            _deposit(chain, accountIndex, keyHash, refund, amount);
        }
    }

    function testFuzz_depositEth_unknownChainReverts(uint64 rawChain, uint256 amount) public {
        ChainId chain = ChainId.wrap(rawChain);
        vm.assume(registry.chainStatus(chain) == IValidiumRegistry.ChainStatus.None);
        amount = bound(amount, 0, address(this).balance);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                chain,
                IValidiumRegistry.ChainStatus.None
            )
        );
        rq.depositEth{value: amount}(chain, 0, KEY, REFUND);
        assertEq(_fingerprint(), before, "no state change");
    }

    function testFuzz_depositEth_hugeAmountReverts(uint256 amount, uint8 chainPick) public {
        amount = bound(amount, TWO_128, type(uint256).max);
        address rich = address(0xCAFE);
        bytes32 before = _fingerprint();
        (bool reverted, , bytes memory err) = _tryDeposit(rich, _known(chainPick), 0, KEY, REFUND, amount);
        assertTrue(reverted, "must revert");
        assertEq(err, abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, amount), "error");
        assertEq(_fingerprint(), before, "no state change");
        assertEq(rich.balance, amount, "sender keeps the value");
    }

    function testFuzz_depositEth_keyHashOutOfFieldReverts(uint256 keyHash, uint8 chainPick) public {
        keyHash = bound(keyHash, R, type(uint256).max);
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, keyHash));
        rq.depositEth{value: 1}(_known(chainPick), 0, keyHash, REFUND);
        assertEq(_fingerprint(), before, "no state change");
    }

    function testFuzz_depositEth_encodesItem(
        uint8 chainPick,
        uint32 accountIndex,
        uint256 amount,
        uint256 keyHash,
        address refund
    ) public {
        amount = bound(amount, 1, TWO_128 - 1);
        keyHash = bound(keyHash, 1, R - 1);
        vm.assume(refund != address(0));
        vm.deal(address(this), amount);
        _deposit(_known(chainPick), accountIndex, keyHash, refund, amount);
        // The packed fields can be read back.
        uint256 w0 = _w0(accountIndex, amount);
        assertEq(w0 & 0xff, 1, "kind");
        assertEq((w0 >> 8) & 0xffffffff, 0, "token");
        assertEq((w0 >> 40) & 0xffffffff, accountIndex, "account index");
        assertEq(w0 >> 72, amount, "amount");
    }

    function testFuzz_hashAt_beyondEndReverts(uint8 chainPick, uint8 deposits, uint64 position) public {
        ChainId chain = _known(chainPick);
        uint64 n = uint64(bound(deposits, 0, 5));
        for (uint64 i; i < n; ++i) _deposit(chain, 0, KEY + i, REFUND, 1);
        if (position <= n) {
            bytes32 h = rq.hashAt(chain, position);
            assertEq(h == bytes32(0), position == 0, "only h_0 is zero");
        } else {
            _expectBeyondEnd(chain, position, n);
        }
    }

    function testFuzz_isQueuePoint_matchesDefinition(
        uint8 chainPick,
        uint8 deposits,
        uint64 position,
        bytes32 hash,
        uint8 mode
    ) public {
        ChainId chain = _known(chainPick);
        uint64 n = uint64(bound(deposits, 0, 5));
        for (uint64 i; i < n; ++i) _deposit(chain, uint32(i), KEY, REFUND, 1 + i);
        mode %= 4;
        if (mode == 0) position = uint64(bound(position, 0, n)); // a real position …
        if (mode == 1 || mode == 0) hash = position <= n ? rq.hashAt(chain, position) : hash; // … its hash
        if (mode == 2) hash = bytes32(0);
        bool expected = position <= n && hash == rq.hashAt(chain, position);
        assertEq(rq.isQueuePoint(chain, position, hash), expected, "isQueuePoint = (position <= length && hash = h_n)");
        // Never a point of a chain with no queue at that position.
        if (position > 0) assertFalse(rq.isQueuePoint(UNKNOWN, position, hash), "unknown chain");
    }

    /// @dev areQueuePoints of random entries (points, near misses and hostile ones, over queues of random
    ///      lengths) is the AND of isQueuePoint over the entries.
    function testFuzz_areQueuePoints_isAndOfIsQueuePoint(uint256 seed, uint8 entries, uint8[3] memory deposits) public {
        for (uint256 k; k < N_CHAINS; ++k) {
            uint256 d = bound(deposits[k], 0, 4);
            for (uint256 i; i < d; ++i) _deposit(_known(k), uint32(i), KEY, REFUND, 1 + i);
        }
        uint256 n = bound(entries, 0, 12);
        ChainId[] memory cs = new ChainId[](n);
        uint64[] memory ps = new uint64[](n);
        bytes32[] memory hs = new bytes32[](n);
        bool all = true;
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            ChainId c = r % 16 == 0 ? ChainId.wrap(uint64(r >> 8)) : (r % 16 == 1 ? UNKNOWN : _known(r >> 8));
            uint64 len = rq.length(c);
            // Mostly real positions and their hashes (so that the AND is often true), else anything.
            uint64 position = r % 7 < 5 ? uint64((r >> 16) % (uint256(len) + 1)) : uint64(r >> 64);
            bytes32 hash = position <= len ? rq.hashAt(c, position) : bytes32(0);
            uint256 mode = (r >> 128) % 8;
            if (mode == 0) hash = bytes32(r >> 136);
            if (mode == 1) hash = bytes32(uint256(hash) ^ 1);
            if (mode == 2) hash = bytes32(0);
            (cs[i], ps[i], hs[i]) = (c, position, hash);
            all = all && rq.isQueuePoint(c, position, hash);
        }
        assertEq(rq.areQueuePoints(cs, ps, hs), all, "AND of isQueuePoint");
    }

    /// @dev The sequence fuzz's model of the three queues.
    struct Model {
        bytes32[MAX_STEPS + 1][N_CHAINS] hashes;
        uint256[3][MAX_STEPS][N_CHAINS] items;
        uint64[N_CHAINS] lens;
        uint256[N_CHAINS] escrow;
    }

    /// @dev Invariant-style: a random sequence of deposits (some hostile) into A, B, C. Afterwards, for every
    ///      chain and every position n ≤ length: hashAt(c, n) is the model's h_n, h_n = mockH(h_{n-1}, w0, w1,
    ///      w2) of the n-th item, isQueuePoint(c, n, h_n) holds and no neighbour is a point; the escrow is the
    ///      sum of the chain's deposits and the balance the sum of the escrows.
    function testFuzz_depositEth_randomSequenceKeepsQueuePoints(uint256 seed, uint8 steps) public {
        uint256 count = bound(steps, 1, MAX_STEPS);
        Model memory m;
        for (uint256 s; s < count; ++s) _step(m, uint256(keccak256(abi.encode(seed, s))));
        _checkModel(m);
    }

    /// @dev One deposit derived from `r`: rejected exactly as the model says (and changing nothing), or
    ///      appended with the model's event, position and hash.
    function _step(Model memory m, uint256 r) internal {
        uint256 k = r % N_CHAINS;
        ChainId chain = (r >> 252) == 0 ? ChainId.wrap(uint64(r >> 128)) : _known(k); // sometimes arbitrary
        uint32 accountIndex = uint32(r >> 8);
        uint256 amount = (r >> 40) % 1000;
        uint256 keyHash = (r >> 80) % R;
        address refund = (r >> 250) == 0 ? address(0) : address(uint160(r >> 96));

        bytes memory expected = _expectedRevert(chain, amount, keyHash, refund);
        if (expected.length != 0) {
            bytes32 before = _fingerprint();
            vm.expectRevert(expected);
            rq.depositEth{value: amount}(chain, accountIndex, keyHash, refund);
            assertEq(_fingerprint(), before, "rejected deposit changes nothing");
            return;
        }
        if (chain != _known(k)) return; // an arbitrary id that happens to be registered (MAX): skip
        uint256[3] memory item = [_w0(accountIndex, amount), keyHash, uint256(uint160(refund))];
        uint64 n = m.lens[k];
        bytes32 next = _h(m.hashes[k][n], item[0], item[1], item[2]);
        vm.expectEmit(address(rq));
        emit IRequestQueue.RequestQueued(chain, n + 1, item[0], item[1], item[2], next);
        assertEq(rq.depositEth{value: amount}(chain, accountIndex, keyHash, refund), n + 1, "position");
        m.items[k][n] = item;
        m.hashes[k][n + 1] = next;
        m.lens[k] = n + 1;
        m.escrow[k] += amount;
    }

    function _checkModel(Model memory m) internal view {
        uint256 total;
        for (uint256 k; k < N_CHAINS; ++k) {
            ChainId chain = _known(k);
            uint64 len = m.lens[k];
            assertEq(rq.length(chain), len, "length");
            assertEq(rq.escrowed(chain, 0), m.escrow[k], "escrowed");
            total += m.escrow[k];
            assertEq(rq.hashAt(chain, 0), bytes32(0), "h_0");
            assertTrue(rq.isQueuePoint(chain, 0, bytes32(0)), "(0, 0)");
            for (uint64 n = 1; n <= len; ++n) {
                bytes32 h = rq.hashAt(chain, n);
                assertEq(h, m.hashes[k][n], "h_n");
                uint256[3] memory it = m.items[k][n - 1];
                assertEq(h, _h(rq.hashAt(chain, n - 1), it[0], it[1], it[2]), "h_n = H(h_{n-1}, item)");
                assertTrue(rq.isQueuePoint(chain, n, h), "(n, h_n) is a point");
                assertFalse(rq.isQueuePoint(chain, n - 1, h), "(n - 1, h_n) is not");
                assertFalse(rq.isQueuePoint(chain, n + 1, h), "(n + 1, h_n) is not");
                assertFalse(rq.isQueuePoint(chain, n, bytes32(0)), "(n, 0) is not");
            }
            assertFalse(rq.isQueuePoint(chain, len + 1, bytes32(0)), "beyond the end");
            _expectBeyondEnd(chain, len + 1, len);
        }
        assertEq(address(rq).balance, total, "balance = sum of escrows");
    }
}

/// @notice TEST-ONLY chain operator that tries to re-enter `claimFees` when it is paid, and records the outcome.
contract ReentrantClaimer {
    RequestQueue internal immutable _rq;
    ChainId internal immutable _chain;
    bytes public reentryError;
    uint256 public received;

    constructor(RequestQueue rq_, ChainId chain_) {
        _rq = rq_;
        _chain = chain_;
    }

    function submit(ValidiumRegistry registry, UpdatePublicData calldata data) external {
        registry.submitUpdate(data, "");
    }

    function claim() external returns (uint256) {
        return _rq.claimFees(_chain, address(this));
    }

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        received += msg.value;
        try _rq.claimFees(_chain, address(this)) returns (uint256) {
            reentryError = "no revert";
        } catch (bytes memory err) {
            reentryError = err;
        }
    }
}

/// @notice Unit and fuzz tests of RequestQueue's token registry, ERC-20 deposits (plain and fee-on-transfer),
///         forced withdrawals (signed in Solidity with Baby Jubjub keys; MOCK Poseidon 2/4/5: keccak mod r),
///         forced messages, the per-block rate limit, `freeze` and fee claims, with a real ValidiumRegistry
///         bound to the queue (updates must name queue points) that granted the queue its FREEZER_ROLE.
/// @dev Chains A(1), B(2) with an EOA-like operator each, C(3) operated by a ReentrantClaimer; default cluster
///      parameters (ForcedDeadline 7 days, ForcedFee 1e15, ForcedPerBlock 10, UpgradeDelay 7 days).
contract RequestQueueForcedTest is Test {
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant L = BabyJubJub.ORDER;
    uint256 internal constant TWO_128 = 1 << 128;
    uint256 internal constant FEE = 1e15;
    uint256 internal constant DEADLINE = 7 days;
    uint256 internal constant PER_BLOCK = 10;
    uint256 internal constant OWNER_KEY = 0xA11CE;

    ChainId internal constant ROOT = ChainId.wrap(0);
    ChainId internal constant A = ChainId.wrap(1);
    ChainId internal constant B = ChainId.wrap(2);
    ChainId internal constant C = ChainId.wrap(3);
    ChainId internal constant UNKNOWN = ChainId.wrap(99);
    address internal constant OP_A = address(0x1001);
    address internal constant OP_B = address(0x1002);
    address internal constant REFUND = address(0xF00D);
    address internal constant RECIPIENT = address(0xBEEF);
    uint256 internal constant KEY = 0x1234;

    ClusterConfig internal config;
    ValidiumRegistry internal registry;
    AcceptingVerifier internal verifier;
    MockPoseidon4 internal p4;
    KeccakPoseidon2 internal p2;
    KeccakPoseidon5 internal p5;
    LedgerSignatureVerifier internal sv;
    RequestQueue internal rq;
    MockERC20 internal token;
    FeeOnTransferERC20 internal fot;
    ReentrantClaimer internal claimer;
    uint32 internal tokenId;
    uint32 internal fotId;

    function setUp() public {
        config = ConfigDefaults.deploy(address(this), 16, 8, 0);
        registry = new ValidiumRegistry(address(this), config);
        verifier = new AcceptingVerifier();
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        registry.grantRole(registry.APPROVER_ROLE(), address(this));
        p4 = new MockPoseidon4();
        p2 = new KeccakPoseidon2();
        p5 = new KeccakPoseidon5();
        sv = new LedgerSignatureVerifier(p2, IPoseidon4(address(p4)), p5);
        rq = new RequestQueue(registry, p4, p2, new KeccakPoseidon3(), sv, address(this));
        claimer = new ReentrantClaimer(rq, C);
        registry.registerChain(A, ROOT, OP_A, address(verifier), keccak256("genesis A"));
        registry.registerChain(B, ROOT, OP_B, address(verifier), keccak256("genesis B"));
        registry.registerChain(C, ROOT, address(claimer), address(verifier), keccak256("genesis C"));
        registry.bindRequestQueue(rq);
        registry.grantRole(registry.FREEZER_ROLE(), address(rq));
        token = new MockERC20("Token", "TOK");
        fot = new FeeOnTransferERC20(100);
        tokenId = rq.registerToken(address(token));
        fotId = rq.registerToken(address(fot));
        token.mint(address(this), 1 << 200);
        fot.mint(address(this), 1 << 200);
        token.approve(address(rq), type(uint256).max);
        fot.approve(address(rq), type(uint256).max);
        vm.deal(address(this), 1 << 200);
        vm.warp(1_000_000);
    }

    // ---------------------------------------------------------------- helpers

    function _h(bytes32 prev, uint256 w0, uint256 w1, uint256 w2) internal view returns (bytes32) {
        return bytes32(p4.hash([uint256(prev), w0, w1, w2]));
    }

    /// @dev A forced withdrawal signed by the key a·B8 as circomlibjs signs (s = k + 8·h·a mod l).
    function _signed(
        uint256 a,
        ChainId chain,
        uint32 slot,
        uint32 tid,
        uint256 amount,
        address recipient,
        uint256 salt
    ) internal view returns (ILedgerSignatureVerifier.ForcedWithdrawal memory w) {
        w.slot = slot;
        w.tokenId = tid;
        w.amount = amount;
        w.recipient = recipient;
        w.salt = salt;
        (w.ax, w.ay) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, a);
        uint256 message = sv.forcedWithdrawalMessage(chain, w);
        uint256 k = (uint256(keccak256(abi.encode(a, message))) % (L - 1)) + 1;
        (w.r8x, w.r8y) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, k);
        uint256 hm = p5.hash([w.r8x, w.r8y, w.ax, w.ay, message]);
        w.s = addmod(k, mulmod(8 * (hm % L), a, L), L);
    }

    function _valid(
        ChainId chain,
        uint256 salt
    ) internal view returns (ILedgerSignatureVerifier.ForcedWithdrawal memory) {
        return _signed(OWNER_KEY, chain, 3, 0, 1 ether, RECIPIENT, salt);
    }

    function _operator(ChainId chain) internal view returns (address) {
        return registry.securityConfig(chain).operator;
    }

    /// @dev An update of `chain` consuming its queue up to `position`.
    function _update(ChainId chain, uint64 position) internal {
        (, IValidiumRegistry.CommitmentInfo memory latest) = registry.latestCommitment(chain);
        UpdatePublicData memory data = UpdatePublicData({
            chainId: chain,
            ackBlock: uint64(block.number),
            l2Block: 0,
            queuePosition: position,
            prevRoot: latest.root,
            newRoot: keccak256(abi.encode(latest.root, position)),
            queueHash: rq.hashAt(chain, position),
            outboxRoot: bytes32(0),
            inboxRoot: bytes32(0),
            withdrawalRoot: bytes32(0)
        });
        address op = _operator(chain);
        if (op == address(claimer)) {
            claimer.submit(registry, data);
        } else {
            vm.prank(op);
            registry.submitUpdate(data, "");
        }
    }

    /// @dev `_update`, then a second update in the next block at the same position, which acknowledges the first:
    ///      on these leaf chains (b = 1) that makes the first final (fees are earned on finality).
    function _updateFinal(ChainId chain, uint64 position) internal {
        _update(chain, position);
        vm.roll(block.number + 1);
        _update(chain, position);
    }

    function _forceMessage(ChainId chain) internal returns (uint64) {
        return rq.forceMessage{value: FEE}(chain, keccak256(abi.encode(chain, rq.length(chain))));
    }

    /// @dev Everything the queue exposes for A, B, C: lengths, hashes, escrows, forced deadlines, fees, the rate
    ///      counter and the balances. Equal fingerprints mean a call changed nothing.
    function _fingerprint() internal view returns (bytes32 h) {
        ChainId[3] memory chains = [A, B, C];
        h = keccak256(abi.encode(address(rq).balance, token.balanceOf(address(rq)), fot.balanceOf(address(rq))));
        h = keccak256(abi.encode(h, rq.forcedInBlock(), rq.tokenCount()));
        for (uint256 i; i < chains.length; ++i) {
            ChainId c = chains[i];
            uint64 len = rq.length(c);
            (uint256 paid, uint256 claimed) = rq.forcedFees(c);
            h = keccak256(abi.encode(h, len, rq.escrowed(c, 0), rq.escrowed(c, tokenId), rq.escrowed(c, fotId)));
            h = keccak256(abi.encode(h, paid, claimed, registry.chainStatus(c)));
            for (uint64 n; n <= len; ++n) h = keccak256(abi.encode(h, rq.hashAt(c, n), rq.forcedDeadline(c, n)));
        }
    }

    // ---------------------------------------------------------------- token registry

    function test_registerToken_assignsIdsFromOne() public view {
        assertEq(tokenId, 1, "first id");
        assertEq(fotId, 2, "second id");
        assertEq(rq.tokenAddress(1), address(token), "tokenAddress");
        assertEq(rq.tokenIdOf(address(fot)), 2, "tokenIdOf");
        assertEq(rq.tokenAddress(0), address(0), "0 is ETH");
        assertEq(rq.tokenIdOf(address(0xdead)), 0, "unregistered");
        assertEq(rq.tokenCount(), 2, "count");
        assertTrue(rq.hasRole(rq.TOKEN_ADMIN_ROLE(), address(this)), "token admin");
        assertTrue(rq.hasRole(rq.DEFAULT_ADMIN_ROLE(), address(this)), "admin");
    }

    function test_registerToken_rejections() public {
        vm.expectRevert(IRequestQueue.RequestQueueZeroToken.selector);
        rq.registerToken(address(0));
        vm.expectRevert(
            abi.encodeWithSelector(IRequestQueue.RequestQueueTokenAlreadyRegistered.selector, address(token), 1)
        );
        rq.registerToken(address(token));
        bytes32 role = rq.TOKEN_ADMIN_ROLE();
        vm.prank(address(0xBAD));
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(0xBAD), role)
        );
        rq.registerToken(address(0x1234));
        assertEq(rq.tokenCount(), 2, "unchanged");
    }

    function testFuzz_registerToken_onlyNewNonZero(address t) public {
        if (t == address(0)) {
            vm.expectRevert(IRequestQueue.RequestQueueZeroToken.selector);
            rq.registerToken(t);
        } else if (t == address(token) || t == address(fot)) {
            vm.expectRevert(
                abi.encodeWithSelector(IRequestQueue.RequestQueueTokenAlreadyRegistered.selector, t, rq.tokenIdOf(t))
            );
            rq.registerToken(t);
        } else {
            assertEq(rq.registerToken(t), 3, "next id");
            assertEq(rq.tokenAddress(3), t, "stored");
        }
    }

    // ---------------------------------------------------------------- depositErc20

    function test_depositErc20_creditsAndQueues() public {
        uint256 w0 = 1 | (uint256(tokenId) << 8) | (uint256(7) << 40) | (uint256(500) << 72);
        bytes32 next = _h(0, w0, KEY, uint160(REFUND));
        vm.expectEmit(address(rq));
        emit IRequestQueue.RequestQueued(A, 1, w0, KEY, uint160(REFUND), next);
        assertEq(rq.depositErc20(A, tokenId, 7, KEY, REFUND, 500), 1, "position");
        assertEq(rq.hashAt(A, 1), next, "hash");
        assertEq(rq.escrowed(A, tokenId), 500, "escrowed");
        assertEq(rq.escrowed(A, 0), 0, "no ETH");
        assertEq(token.balanceOf(address(rq)), 500, "pulled");
        assertEq(rq.forcedDeadline(A, 1), 0, "not forced");
    }

    function test_depositErc20_feeOnTransferCreditsDelta() public {
        // 1% fee: 10_000 sent, 9_900 received and credited.
        rq.depositErc20(B, fotId, 0, KEY, REFUND, 10_000);
        uint256 w0 = 1 | (uint256(fotId) << 8) | (uint256(9_900) << 72);
        assertEq(rq.hashAt(B, 1), _h(0, w0, KEY, uint160(REFUND)), "delta encoded");
        assertEq(rq.escrowed(B, fotId), 9_900, "delta escrowed");
        // A transfer that loses everything credits nothing: rejected.
        fot.setFeeBps(10_000);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, 0));
        rq.depositErc20(B, fotId, 0, KEY, REFUND, 10_000);
    }

    function test_depositErc20_rejections() public {
        rq.depositErc20(A, tokenId, 0, KEY, REFUND, 1);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                UNKNOWN,
                IValidiumRegistry.ChainStatus.None
            )
        );
        rq.depositErc20(UNKNOWN, tokenId, 0, KEY, REFUND, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueUnknownToken.selector, 0));
        rq.depositErc20(A, 0, 0, KEY, REFUND, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueUnknownToken.selector, 3));
        rq.depositErc20(A, 3, 0, KEY, REFUND, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, 0));
        rq.depositErc20(A, tokenId, 0, 0, REFUND, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, R));
        rq.depositErc20(A, tokenId, 0, R, REFUND, 1);
        vm.expectRevert(IRequestQueue.RequestQueueZeroRefund.selector);
        rq.depositErc20(A, tokenId, 0, KEY, address(0), 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, 0));
        rq.depositErc20(A, tokenId, 0, KEY, REFUND, 0);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, TWO_128));
        rq.depositErc20(A, tokenId, 0, KEY, REFUND, TWO_128);
        // No allowance: the token's own error.
        vm.prank(address(0xCAFE));
        vm.expectRevert();
        rq.depositErc20(A, tokenId, 0, KEY, REFUND, 1);
        registry.setChainStatus(B, IValidiumRegistry.ChainStatus.Frozen);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                B,
                IValidiumRegistry.ChainStatus.Frozen
            )
        );
        rq.depositErc20(B, tokenId, 0, KEY, REFUND, 1);
        registry.setChainStatus(B, IValidiumRegistry.ChainStatus.Active);
        config.pause();
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigPaused.selector, config.pausedUntil()));
        rq.depositErc20(A, tokenId, 0, KEY, REFUND, 1);
        assertEq(_fingerprint(), before, "no state change");
    }

    /// @dev Hostile inputs against the model: the first failing check names the error, otherwise the item.
    function testFuzz_depositErc20_hostileInputsMatchModel(
        uint8 chainPick,
        uint32 tid,
        uint32 accountIndex,
        uint256 keyHash,
        address refund,
        uint256 amount
    ) public {
        ChainId chain = [A, B, UNKNOWN][chainPick % 3];
        tid = uint32(bound(tid, 0, 3));
        amount = bound(amount, 0, TWO_128 + 5);
        if (keyHash % 4 == 0) keyHash = bound(keyHash, 1, R - 1);
        uint256 credited = tid == fotId ? amount - (amount * 100) / 10_000 : amount;
        bytes memory err;
        if (ChainId.unwrap(chain) == 99) {
            err = abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                chain,
                IValidiumRegistry.ChainStatus.None
            );
        } else if (tid == 0 || tid == 3) {
            err = abi.encodeWithSelector(IRequestQueue.RequestQueueUnknownToken.selector, tid);
        } else if (keyHash == 0 || keyHash >= R) {
            err = abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidKeyHash.selector, keyHash);
        } else if (refund == address(0)) {
            err = abi.encodeWithSelector(IRequestQueue.RequestQueueZeroRefund.selector);
        } else if (credited == 0 || credited >= TWO_128) {
            err = abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, credited);
        }
        bytes32 before = _fingerprint();
        if (err.length != 0) {
            vm.expectRevert(err);
            rq.depositErc20(chain, tid, accountIndex, keyHash, refund, amount);
            assertEq(_fingerprint(), before, "no state change");
            return;
        }
        uint64 pos = rq.depositErc20(chain, tid, accountIndex, keyHash, refund, amount);
        uint256 w0 = 1 | (uint256(tid) << 8) | (uint256(accountIndex) << 40) | (credited << 72);
        assertEq(rq.hashAt(chain, pos), _h(0, w0, keyHash, uint160(refund)), "item");
        assertEq(rq.escrowed(chain, tid), credited, "escrowed");
    }

    // ---------------------------------------------------------------- forceWithdrawal

    function test_forceWithdrawal_acceptsOwnerSignature() public {
        rq.depositEth{value: 5 ether}(A, 3, KEY, REFUND);
        ILedgerSignatureVerifier.ForcedWithdrawal memory w = _valid(A, 1);
        uint256 keyHash = p2.hash([w.ax, w.ay]);
        assertEq(sv.verifyForcedWithdrawal(A, w), keyHash, "verifier returns key hash");
        uint256 w0 = 2 | (uint256(3) << 40) | (uint256(1 ether) << 72);
        bytes32 next = _h(rq.hashAt(A, 1), w0, keyHash, uint160(RECIPIENT));
        uint64 deadline = uint64(block.timestamp + DEADLINE);
        vm.expectEmit(address(rq));
        emit IRequestQueue.RequestQueued(A, 2, w0, keyHash, uint160(RECIPIENT), next);
        vm.expectEmit(address(rq));
        emit IRequestQueue.ForcedRequestQueued(A, 2, 2, deadline, FEE);
        assertEq(rq.forceWithdrawal{value: FEE}(A, w), 2, "position");
        assertEq(rq.hashAt(A, 2), next, "hash");
        assertEq(rq.forcedDeadline(A, 2), deadline, "deadline");
        (uint256 paid, uint256 claimed) = rq.forcedFees(A);
        assertEq(paid, FEE, "fee held");
        assertEq(claimed, 0, "nothing claimed");
        assertEq(rq.forcedInBlock(), 1, "counted");
        // Each signed withdrawal once, even in a later block.
        vm.roll(block.number + 1);
        bytes32 id = keccak256(abi.encode(A, w.slot, w.tokenId, w.amount, w.recipient, w.salt, w.ax, w.ay));
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueSignatureUsed.selector, id));
        rq.forceWithdrawal{value: FEE}(A, w);
        // Another salt is another message.
        rq.forceWithdrawal{value: FEE}(A, _valid(A, 2));
        // The same signature does not verify for another chain.
        vm.expectRevert(ILedgerSignatureVerifier.SignatureInvalid.selector);
        rq.forceWithdrawal{value: FEE}(B, w);
    }

    function test_forceWithdrawal_rejectsTamperedAndMalformed() public {
        ILedgerSignatureVerifier.ForcedWithdrawal memory w = _valid(A, 1);
        bytes32 before = _fingerprint();
        ILedgerSignatureVerifier.ForcedWithdrawal memory t = _valid(A, 1);
        t.amount += 1;
        vm.expectRevert(ILedgerSignatureVerifier.SignatureInvalid.selector);
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _valid(A, 1);
        t.recipient = address(0xB0B);
        vm.expectRevert(ILedgerSignatureVerifier.SignatureInvalid.selector);
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _valid(A, 1);
        t.slot = 4;
        vm.expectRevert(ILedgerSignatureVerifier.SignatureInvalid.selector);
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _valid(A, 1);
        t.tokenId = tokenId;
        vm.expectRevert(ILedgerSignatureVerifier.SignatureInvalid.selector);
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _valid(A, 1);
        t.s = w.s + L;
        vm.expectRevert(abi.encodeWithSelector(ILedgerSignatureVerifier.SignatureScalarOutOfRange.selector, t.s));
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _valid(A, 1);
        t.salt = w.salt + R;
        vm.expectRevert(abi.encodeWithSelector(ILedgerSignatureVerifier.SignatureNonCanonicalField.selector, t.salt));
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _valid(A, 1);
        t.r8x = w.r8x + R;
        vm.expectRevert(abi.encodeWithSelector(ILedgerSignatureVerifier.SignatureNonCanonicalField.selector, t.r8x));
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _valid(A, 1);
        t.ay = w.ay ^ 1;
        vm.expectRevert(abi.encodeWithSelector(ILedgerSignatureVerifier.SignaturePointNotOnCurve.selector, t.ax, t.ay));
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _valid(A, 1);
        t.r8y = w.r8y ^ 1;
        vm.expectRevert(
            abi.encodeWithSelector(ILedgerSignatureVerifier.SignaturePointNotOnCurve.selector, t.r8x, t.r8y)
        );
        rq.forceWithdrawal{value: FEE}(A, t);
        // The identity (0, 1) is on the curve and of small order: anyone could "sign" for it.
        t = _valid(A, 1);
        (t.ax, t.ay) = (0, 1);
        vm.expectRevert(abi.encodeWithSelector(ILedgerSignatureVerifier.SignatureSmallOrderKey.selector, 0, 1));
        rq.forceWithdrawal{value: FEE}(A, t);
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_forceWithdrawal_queueChecks() public {
        bytes32 before = _fingerprint();
        ILedgerSignatureVerifier.ForcedWithdrawal memory w = _valid(A, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueWrongFee.selector, 0, FEE));
        rq.forceWithdrawal(A, w);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueWrongFee.selector, FEE + 1, FEE));
        rq.forceWithdrawal{value: FEE + 1}(A, w);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueWrongFee.selector, FEE - 1, FEE));
        rq.forceWithdrawal{value: FEE - 1}(A, w);
        ILedgerSignatureVerifier.ForcedWithdrawal memory t = _signed(OWNER_KEY, A, 3, 0, 0, RECIPIENT, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, 0));
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _signed(OWNER_KEY, A, 3, 0, TWO_128, RECIPIENT, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, TWO_128));
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _signed(OWNER_KEY, A, 3, 0, 1, address(0), 1);
        vm.expectRevert(IRequestQueue.RequestQueueZeroRecipient.selector);
        rq.forceWithdrawal{value: FEE}(A, t);
        t = _signed(OWNER_KEY, A, 3, 9, 1, RECIPIENT, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueUnknownToken.selector, 9));
        rq.forceWithdrawal{value: FEE}(A, t);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                UNKNOWN,
                IValidiumRegistry.ChainStatus.None
            )
        );
        rq.forceWithdrawal{value: FEE}(UNKNOWN, w);
        config.pause();
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigPaused.selector, config.pausedUntil()));
        rq.forceWithdrawal{value: FEE}(A, w);
        assertEq(_fingerprint(), before, "no state change");
        assertEq(rq.forcedInBlock(), 0, "nothing counted");
    }

    /// @dev Hostile field values: exactly the valid signature is accepted; anything else reverts, unchanged.
    function testFuzz_forceWithdrawal_hostileFields(uint256 which, uint256 value, uint256 fee) public {
        ILedgerSignatureVerifier.ForcedWithdrawal memory w = _valid(A, 77);
        uint256 field = which % 7;
        if (field == 0) w.amount = value;
        else if (field == 1) w.salt = value;
        else if (field == 2) w.ax = value;
        else if (field == 3) w.ay = value;
        else if (field == 4) w.r8x = value;
        else if (field == 5) w.r8y = value;
        else w.s = value;
        if (fee % 4 != 0) fee = FEE;
        bytes32 before = _fingerprint();
        (bool ok, ) = address(rq).call{value: fee}(abi.encodeCall(rq.forceWithdrawal, (A, w)));
        ILedgerSignatureVerifier.ForcedWithdrawal memory v = _valid(A, 77);
        bool same = keccak256(abi.encode(w)) == keccak256(abi.encode(v));
        assertEq(ok, same && fee == FEE, "accepted iff valid and exact fee");
        if (!ok) assertEq(_fingerprint(), before, "no state change");
    }

    // ---------------------------------------------------------------- forceMessage

    function test_forceMessage_encodesAndEmits() public {
        bytes32 payload = keccak256("hello");
        uint256 w1 = uint256(keccak256(abi.encode(B, address(this), payload))) % R;
        bytes32 next = _h(0, 3, w1, uint160(address(this)));
        vm.expectEmit(address(rq));
        emit IRequestQueue.RequestQueued(B, 1, 3, w1, uint160(address(this)), next);
        vm.expectEmit(address(rq));
        emit IRequestQueue.ForcedMessage(B, 1, address(this), payload);
        vm.expectEmit(address(rq));
        emit IRequestQueue.ForcedRequestQueued(B, 1, 3, uint64(block.timestamp + DEADLINE), FEE);
        assertEq(rq.forceMessage{value: FEE}(B, payload), 1, "position");
        assertEq(rq.hashAt(B, 1), next, "hash");
        assertEq(address(rq).balance, FEE, "fee held");
    }

    function testFuzz_forceMessage_rejections(uint8 chainPick, uint256 fee, bytes32 payload) public {
        ChainId chain = [A, UNKNOWN][chainPick % 2];
        fee = bound(fee, 0, 3 * FEE);
        bytes memory err;
        if (ChainId.unwrap(chain) == 99) {
            err = abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                chain,
                IValidiumRegistry.ChainStatus.None
            );
        } else if (fee != FEE) {
            err = abi.encodeWithSelector(IRequestQueue.RequestQueueWrongFee.selector, fee, FEE);
        }
        bytes32 before = _fingerprint();
        if (err.length == 0) {
            rq.forceMessage{value: fee}(chain, payload);
            return;
        }
        vm.expectRevert(err);
        rq.forceMessage{value: fee}(chain, payload);
        assertEq(_fingerprint(), before, "no state change");
    }

    // ---------------------------------------------------------------- rate limit

    function test_rateLimit_perBlockClusterWide() public {
        ILedgerSignatureVerifier.ForcedWithdrawal memory w = _valid(A, 1);
        rq.forceWithdrawal{value: FEE}(B, _valid(B, 100));
        for (uint256 i = 1; i < PER_BLOCK; ++i) _forceMessage(i % 2 == 0 ? A : B);
        assertEq(rq.forcedInBlock(), PER_BLOCK, "full");
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(IRequestQueue.RequestQueueRateLimited.selector, block.number, PER_BLOCK)
        );
        rq.forceMessage{value: FEE}(C, bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(IRequestQueue.RequestQueueRateLimited.selector, block.number, PER_BLOCK)
        );
        rq.forceWithdrawal{value: FEE}(A, w);
        assertEq(_fingerprint(), before, "no state change");
        // Deposits are not forced requests.
        rq.depositEth{value: 1}(A, 0, KEY, REFUND);
        vm.roll(block.number + 1);
        assertEq(rq.forcedInBlock(), 0, "new block");
        _forceMessage(C);
        assertEq(rq.forcedInBlock(), 1, "counted again");
        // A lower limit applies at once.
        config.setParam(uint256(IClusterConfig.Param.ForcedPerBlock), 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueRateLimited.selector, block.number, 1));
        rq.forceMessage{value: FEE}(C, bytes32(0));
    }

    function testFuzz_rateLimit_acrossBlocks(uint8[6] memory perBlock) public {
        for (uint256 b; b < perBlock.length; ++b) {
            vm.roll(block.number + 1);
            uint256 n = bound(perBlock[b], 0, PER_BLOCK + 3);
            for (uint256 i; i < n; ++i) {
                if (i < PER_BLOCK) {
                    _forceMessage([A, B, C][i % 3]);
                } else {
                    vm.expectRevert(
                        abi.encodeWithSelector(IRequestQueue.RequestQueueRateLimited.selector, block.number, PER_BLOCK)
                    );
                    rq.forceMessage{value: FEE}(A, bytes32(i));
                }
            }
            assertEq(rq.forcedInBlock(), n < PER_BLOCK ? n : PER_BLOCK, "count");
        }
    }

    // ---------------------------------------------------------------- freeze

    function test_freeze_afterDeadlineWhenUnconsumed() public {
        rq.depositEth{value: 1}(A, 0, KEY, REFUND);
        uint64 pos = _forceMessage(A);
        uint256 deadline = rq.forcedDeadline(A, pos);
        _update(A, 1); // consumes the deposit only
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueDeadlineNotPassed.selector, A, pos, deadline));
        rq.freeze(A, pos);
        vm.warp(deadline + 1);
        vm.expectEmit(address(rq));
        emit IRequestQueue.ChainFreezeTriggered(A, pos, address(0xF1));
        vm.prank(address(0xF1));
        rq.freeze(A, pos);
        assertTrue(registry.chainStatus(A) == IValidiumRegistry.ChainStatus.Frozen, "frozen");
        // Frozen: no second freeze.
        vm.expectRevert(
            abi.encodeWithSelector(
                IRequestQueue.RequestQueueChainNotActive.selector,
                A,
                IValidiumRegistry.ChainStatus.Frozen
            )
        );
        rq.freeze(A, pos);
    }

    function test_freeze_rejections() public {
        rq.depositEth{value: 1}(A, 0, KEY, REFUND); // 1: deposit
        _forceMessage(A); // 2: forced, consumed below
        _forceMessage(A); // 3: forced, unconsumed
        _update(A, 2);
        vm.warp(block.timestamp + DEADLINE + 1);
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueNotForced.selector, A, 1));
        rq.freeze(A, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueNotForced.selector, A, 0));
        rq.freeze(A, 0);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueuePositionBeyondEnd.selector, A, 4, 3));
        rq.freeze(A, 4);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueuePositionBeyondEnd.selector, B, 1, 0));
        rq.freeze(B, 1);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueForcedConsumed.selector, A, 2, 2));
        rq.freeze(A, 2);
        assertEq(_fingerprint(), before, "no state change");
        // The unconsumed one freezes; once the operator consumed it, it would not have.
        rq.freeze(A, 3);
        assertTrue(registry.chainStatus(A) == IValidiumRegistry.ChainStatus.Frozen, "frozen");
    }

    /// @dev Adversarial: once the forced request is overdue, the operator races the freeze with an update that
    ///      claims to have consumed the queue without the request's real rolling hash (or past the queue's end):
    ///      the registry refuses both, whatever the verifier; an update that consumes nothing is accepted but
    ///      leaves the request unconsumed, so the freeze still goes through in the same block.
    function test_freeze_operatorFrontRunsWithUpdateSkippingTheQueue() public {
        rq.depositEth{value: 1}(A, 0, KEY, REFUND); // 1
        uint64 pos = _forceMessage(A); // 2
        vm.warp(rq.forcedDeadline(A, pos) + 1);
        (, IValidiumRegistry.CommitmentInfo memory latest) = registry.latestCommitment(A);
        bytes32 afterDeposit = rq.hashAt(A, 1);
        bytes32 afterForced = rq.hashAt(A, pos);
        UpdatePublicData memory data = UpdatePublicData({
            chainId: A,
            ackBlock: uint64(block.number),
            l2Block: 0,
            queuePosition: pos,
            prevRoot: latest.root,
            newRoot: keccak256("skips the forced request"),
            queueHash: afterDeposit, // the hash after the deposit only
            outboxRoot: bytes32(0),
            inboxRoot: bytes32(0),
            withdrawalRoot: bytes32(0)
        });
        bytes32 before = _fingerprint();
        vm.prank(OP_A);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryBadQueuePoint.selector, A, pos, afterDeposit));
        registry.submitUpdate(data, "");
        data.queuePosition = pos + 1; // beyond the queue's end
        data.queueHash = afterForced;
        vm.prank(OP_A);
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryBadQueuePoint.selector, A, pos + 1, afterForced)
        );
        registry.submitUpdate(data, "");
        assertEq(_fingerprint(), before, "no state change");
        // An update that consumes only the deposit is accepted, and the freeze still follows in the same block.
        _update(A, 1);
        vm.prank(address(0xF1));
        rq.freeze(A, pos);
        assertTrue(registry.chainStatus(A) == IValidiumRegistry.ChainStatus.Frozen, "frozen");
    }

    function test_freeze_notAfterConsumingUpdate() public {
        uint64 pos = _forceMessage(B);
        _update(B, pos);
        vm.warp(block.timestamp + 30 days);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueForcedConsumed.selector, B, pos, pos));
        rq.freeze(B, pos);
    }

    function test_freeze_deadlineRestartsForNewOperator() public {
        uint64 pos = _forceMessage(A);
        uint256 deadline = rq.forcedDeadline(A, pos);
        // Operator change: announce, approve, wait UpgradeDelay (7 days), activate; the old deadline passes first.
        IValidiumRegistry.SecurityConfig memory sec = registry.securityConfig(A);
        sec.operator = address(0x2001);
        vm.prank(registry.chainGovernance(A));
        bytes32 changeHash = registry.announceSecurityChange(A, sec);
        registry.approveSecurityChange(A, changeHash);
        vm.warp(deadline);
        registry.activateSecurityChange(A);
        assertEq(registry.operatorSince(A), block.timestamp, "operatorSince");
        uint256 restarted = block.timestamp + DEADLINE;
        vm.warp(deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IRequestQueue.RequestQueueDeadlineNotPassed.selector, A, pos, restarted)
        );
        rq.freeze(A, pos);
        vm.warp(restarted);
        vm.expectRevert(
            abi.encodeWithSelector(IRequestQueue.RequestQueueDeadlineNotPassed.selector, A, pos, restarted)
        );
        rq.freeze(A, pos);
        vm.warp(restarted + 1);
        rq.freeze(A, pos);
        assertTrue(registry.chainStatus(A) == IValidiumRegistry.ChainStatus.Frozen, "frozen");
    }

    function testFuzz_freeze_exactlyAfterDeadline(uint256 dt, bool consume) public {
        uint64 pos = _forceMessage(B);
        uint256 deadline = rq.forcedDeadline(B, pos);
        if (consume) _update(B, pos);
        vm.warp(bound(dt, block.timestamp, deadline + 365 days));
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, ) = address(rq).call(abi.encodeCall(rq.freeze, (B, pos)));
        assertEq(ok, !consume && block.timestamp > deadline, "freezes iff unconsumed and overdue");
        assertEq(registry.chainStatus(B) == IValidiumRegistry.ChainStatus.Frozen, ok, "frozen iff freeze succeeded");
    }

    // ---------------------------------------------------------------- fees

    function test_claimFees_exactlyConsumedOnce() public {
        _forceMessage(B); // 1
        rq.depositEth{value: 1 ether}(B, 0, KEY, REFUND); // 2
        _forceMessage(B); // 3
        _forceMessage(B); // 4
        assertEq(rq.claimableFees(B), 0, "nothing consumed");
        _update(B, 3);
        assertEq(rq.claimableFees(B), 0, "consumed by a pending commitment: not earned yet");
        vm.roll(block.number + 1);
        _update(B, 3);
        assertEq(rq.claimableFees(B), 2 * FEE, "items 1 and 3, final");
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueNotOperator.selector, B, address(this)));
        rq.claimFees(B, address(this));
        vm.prank(OP_A);
        vm.expectRevert(abi.encodeWithSelector(IRequestQueue.RequestQueueNotOperator.selector, B, OP_A));
        rq.claimFees(B, OP_A);
        vm.prank(OP_B);
        vm.expectRevert(IRequestQueue.RequestQueueZeroFeeRecipient.selector);
        rq.claimFees(B, address(0));
        assertEq(_fingerprint(), before, "no state change");
        uint256 balance = address(0x5EE).balance;
        vm.expectEmit(address(rq));
        emit IRequestQueue.FeesClaimed(B, address(0x5EE), 3, 2 * FEE);
        vm.prank(OP_B);
        assertEq(rq.claimFees(B, address(0x5EE)), 2 * FEE, "paid");
        assertEq(address(0x5EE).balance - balance, 2 * FEE, "received");
        vm.prank(OP_B);
        assertEq(rq.claimFees(B, address(0x5EE)), 0, "once");
        (uint256 paid, uint256 claimed) = rq.forcedFees(B);
        assertEq(paid, 3 * FEE, "paid in");
        assertEq(claimed, 2 * FEE, "claimed");
        assertEq(address(rq).balance, 1 ether + FEE, "escrow and unclaimed fee stay");
        vm.roll(block.number + 1);
        _updateFinal(B, 4);
        vm.prank(OP_B);
        assertEq(rq.claimFees(B, address(0x5EE)), FEE, "the last one");
        assertEq(address(rq).balance, 1 ether, "escrow stays");
    }

    function test_claimFees_reentrancyPaysOnce() public {
        _forceMessage(C);
        _forceMessage(C);
        _updateFinal(C, 2);
        assertEq(claimer.claim(), 2 * FEE, "paid");
        assertEq(claimer.received(), 2 * FEE, "received once");
        assertEq(
            claimer.reentryError(),
            abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector),
            "re-entry refused"
        );
        assertEq(address(rq).balance, 0, "nothing left");
    }

    function testFuzz_claimFees_matchesConsumedForcedItems(uint256 seed, uint8 n, uint8 consumeAt) public {
        n = uint8(bound(n, 1, 20));
        uint256 forcedUpTo;
        uint64 upTo = uint64(bound(consumeAt, 0, n));
        for (uint64 i = 1; i <= n; ++i) {
            if (i % PER_BLOCK == 0) vm.roll(block.number + 1);
            if (uint256(keccak256(abi.encode(seed, i))) % 2 == 0) {
                _forceMessage(A);
                if (i <= upTo) forcedUpTo += FEE;
            } else {
                rq.depositEth{value: 1}(A, 0, KEY, REFUND);
            }
        }
        if (upTo != 0) _updateFinal(A, upTo);
        vm.prank(OP_A);
        assertEq(rq.claimFees(A, address(0x5EE)), forcedUpTo, "fees of consumed forced items");
        vm.prank(OP_A);
        assertEq(rq.claimFees(A, address(0x5EE)), 0, "once");
    }
}
